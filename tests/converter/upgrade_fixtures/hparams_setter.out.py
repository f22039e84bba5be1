# t2l-fixture: run
"""0.x/1.0's way to keep hyperparameters, `self.hparams = hparams` with an argparse Namespace (T2L245): the upgraded
module is built, reads `self.hparams.lr`, and its checkpoint keeps them."""
from argparse import Namespace

import pytorch_lightning as pl
import torch

from tiny import loader


class Regressor(pl.LightningModule):
    def __init__(self, hparams):
        super().__init__()
        self.save_hyperparameters(hparams)
        self.layer = torch.nn.Linear(4, hparams.hidden)
        self.head = torch.nn.Linear(hparams.hidden, 1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        return torch.nn.functional.mse_loss(self.head(self.layer(x)), y)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.hparams.lr)


model = Regressor(Namespace(hidden=8, lr=0.05))
trainer = pl.Trainer(max_epochs=1, logger=False, enable_checkpointing=False)
trainer.fit(model, train_dataloaders=loader())
trainer.save_checkpoint("last.ckpt")
assert torch.load("last.ckpt", weights_only=False)["hyper_parameters"] == {"hidden": 8, "lr": 0.05}
