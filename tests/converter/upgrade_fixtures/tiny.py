"""A tiny regression model and data set the upgrade fixtures share (valid on Lightning 1.x and 2.x)."""

import pytorch_lightning as pl
import torch
from torch.utils.data import DataLoader, TensorDataset

generator = torch.Generator().manual_seed(0)
inputs = torch.randn(64, 4, generator=generator)
targets = inputs.sum(dim=1, keepdim=True)


def loader(batch_size=16):
    return DataLoader(TensorDataset(inputs, targets), batch_size=batch_size)


class Regressor(pl.LightningModule):
    def __init__(self, lr=0.05):
        super().__init__()
        self.lr = lr
        self.layer = torch.nn.Linear(4, 1)

    def forward(self, x):
        return self.layer(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.log("val_loss", torch.nn.functional.mse_loss(self(x), y))

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.lr)
