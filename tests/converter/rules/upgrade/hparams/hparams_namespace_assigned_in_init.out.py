from argparse import Namespace

import pytorch_lightning as pl
import torch


class Classifier(pl.LightningModule):
    def __init__(self, hparams: Namespace):
        super().__init__()
        # keep the run's settings with the checkpoint
        self.save_hyperparameters(hparams)
        self.net = torch.nn.Linear(hparams.in_features, hparams.classes)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)
