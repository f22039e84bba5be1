import pytorch_lightning as pl
import torch


class Separator(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Linear(4, 4)
        self.batches = 0

    def training_step(self, batch, batch_idx):
        return self.net(batch[0]).pow(2).mean()

    def on_train_batch_start(self, batch, batch_idx):
        self.batches += 1

    def on_train_batch_end(self, outputs, batch, batch_idx):
        print("batches so far", self.batches)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)
