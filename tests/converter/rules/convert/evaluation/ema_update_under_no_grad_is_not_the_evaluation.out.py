"""EMA of the weights updated once an epoch, before the epoch's validation of the EMA model."""
import copy

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
x = torch.randn(160, 6)
y = x @ torch.randn(6, 1)
train_loader = DataLoader(TensorDataset(x[:128], y[:128]), batch_size=32, shuffle=True)
val_loader = DataLoader(TensorDataset(x[128:], y[128:]), batch_size=32)
model = nn.Linear(6, 1)
ema_model = copy.deepcopy(model)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 19."""

    def __init__(self, model, ema_model, val_loader):
        super().__init__()
        self.model = model
        self.ema_model = ema_model
        self.val_loader = val_loader

    def on_train_epoch_start(self):
        self.model.train()

    def training_step(self, batch, batch_idx):
        xb, yb = batch
        loss = nn.functional.mse_loss(self.model(xb), yb)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def on_validation_epoch_start(self):
        with torch.no_grad():
            for p_ema, p in zip(self.ema_model.parameters(), self.model.parameters()):
                p_ema.mul_(0.5).add_(p, alpha=0.5)
        self.total = 0.0

    def validation_step(self, batch, batch_idx):
        xb, yb = batch
        self.total += nn.functional.mse_loss(self.ema_model(xb), yb).item()

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        self.ema_model.eval()
        print(f"epoch {self.current_epoch} ema val {self.total / len(self.val_loader):.5f}")


lit_model = LitModel(model=model, ema_model=ema_model, val_loader=val_loader)
trainer = pl.Trainer(max_epochs=3, num_sanity_val_steps=0, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=train_loader, val_dataloaders=val_loader)
