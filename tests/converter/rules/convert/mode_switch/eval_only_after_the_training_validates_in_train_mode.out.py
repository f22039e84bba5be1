"""Validation each epoch in train mode; `.eval()` only for a final check after the training."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
x = torch.randn(160, 10)
y = x.sum(1, keepdim=True)
train_loader = DataLoader(TensorDataset(x[:128], y[:128]), batch_size=32, shuffle=True)
val_loader = DataLoader(TensorDataset(x[128:], y[128:]), batch_size=32)
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 1))


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 15."""

    def __init__(self, model, val_loader):
        super().__init__()
        self.model = model
        self.val_loader = val_loader

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        xb, yb = batch
        loss = nn.functional.mse_loss(self.model(xb), yb)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def on_validation_epoch_start(self):
        self.val_loss = 0.0

    def validation_step(self, batch, batch_idx):
        xb, yb = batch
        self.val_loss += nn.functional.mse_loss(self.model(xb), yb).item()

    def on_validation_model_eval(self):
        pass  # the script evaluated in train mode (no .eval() before it): Lightning would switch to eval

    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-2)
        return optimizer

    def on_train_epoch_end(self):
        print(f"epoch {self.current_epoch} val {self.val_loss / len(self.val_loader):.4f}")


lit_model = LitModel(model=model, val_loader=val_loader)
trainer = pl.Trainer(max_epochs=3, num_sanity_val_steps=0, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=train_loader, val_dataloaders=val_loader)

model.eval()
with torch.no_grad():
    print(f"final {nn.functional.mse_loss(model(x[128:]), y[128:]).item():.4f}")
