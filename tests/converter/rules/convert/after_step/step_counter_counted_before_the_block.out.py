import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl


def evaluate(model, loader):
    model.eval()
    with torch.no_grad():
        total = sum(nn.functional.mse_loss(model(x), y).item() for x, y in loader)
    model.train()
    return total / len(loader)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 17."""

    def __init__(self, model, log_every, val_loader, optimizer):
        super().__init__()
        self.model = model
        self.log_every = log_every
        self.val_loader = val_loader
        self.optimizer = optimizer

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def on_train_batch_end(self, outputs, batch, batch_idx):
        if self.global_step % self.log_every == 0:
            print(f"step {self.global_step} val {evaluate(self.model, self.val_loader):.5f}")

    def configure_optimizers(self):
        return self.optimizer


def train(model, optimizer, train_loader, val_loader, epochs, log_every=3):
    step = 0
    lit_model = LitModel(model=model, log_every=log_every, val_loader=val_loader, optimizer=optimizer)
    trainer = pl.Trainer(max_epochs=epochs, accelerator="cpu")
    trainer.fit(lit_model, train_dataloaders=train_loader)


torch.manual_seed(0)
train_loader = DataLoader(TensorDataset(torch.randn(40, 4), torch.randn(40, 1)), batch_size=8, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=8)
model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
train(model, torch.optim.SGD(model.parameters(), lr=0.05), train_loader, val_loader, epochs=2)
