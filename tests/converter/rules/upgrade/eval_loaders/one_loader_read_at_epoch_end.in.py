"""A 1.x module and callback reading `trainer.val_dataloaders[0]` (1.x: always a list): val_dataloader returns one
DataLoader, so 2.x's `val_dataloaders` is that loader (T2L248); test_dataloader returns a list, which keeps [0]."""
import pytorch_lightning as pl
import torch
from torch.utils.data import DataLoader, TensorDataset

inputs = torch.randn(48, 4, generator=torch.Generator().manual_seed(0))
targets = inputs.sum(dim=1, keepdim=True)


class Regressor(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(4, 1)
        self.seen = {}

    def training_step(self, batch, batch_idx):
        x, y = batch
        return torch.nn.functional.mse_loss(self.layer(x), y)

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.log("val_loss", torch.nn.functional.mse_loss(self.layer(x), y))

    def test_step(self, batch, batch_idx, dataloader_idx=0):
        x, y = batch
        self.log("test_loss", torch.nn.functional.mse_loss(self.layer(x), y))

    def on_validation_epoch_end(self):
        dataset = self.trainer.val_dataloaders[0].dataset
        self.seen["validated"] = len(dataset)

    def on_test_epoch_end(self):
        self.seen["tested"] = len(self.trainer.test_dataloaders[0].dataset)

    def train_dataloader(self):
        return DataLoader(TensorDataset(inputs, targets), batch_size=16)

    def val_dataloader(self):
        loader = DataLoader(TensorDataset(inputs[:32], targets[:32]), batch_size=16)
        return loader

    def test_dataloader(self):
        return [DataLoader(TensorDataset(inputs[:16], targets[:16])), DataLoader(TensorDataset(inputs, targets))]

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.05)


class FirstBatch(pl.Callback):
    def on_validation_epoch_end(self, trainer, pl_module):
        x, _ = next(iter(trainer.val_dataloaders[0]))
        pl_module.seen["first batch"] = tuple(x.shape)
