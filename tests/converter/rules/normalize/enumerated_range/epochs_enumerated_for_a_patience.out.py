import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
train_loader = DataLoader(TensorDataset(torch.randn(40, 4), torch.randn(40, 1)), batch_size=8, shuffle=True)
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
best_loss, best_epoch, patience = float("inf"), 0, 1


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 12."""

    def __init__(self, model, best_epoch, best_loss, train_loader):
        super().__init__()
        self.model = model
        self.best_epoch = best_epoch
        self.best_loss = best_loss
        self.train_loader = train_loader

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.total = 0.0
        self.idx = self.current_epoch + 1 - 1

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self.model(x), y)
        self.total += loss.item()
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.3)
        return optimizer

    def on_train_epoch_end(self):
        if self.total < self.best_loss:
            self.best_loss, self.best_epoch = self.total, self.idx
        if self.idx - self.best_epoch > patience:
            print(f"no better loss since epoch {self.best_epoch + 1}: stopped")
            self.trainer.should_stop = True; return
        print(f"epoch {self.current_epoch + 1}: {self.total / len(self.train_loader):.4f}")


lit_model = LitModel(model=model, best_epoch=best_epoch, best_loss=best_loss, train_loader=train_loader)
trainer = pl.Trainer(max_epochs=21 - 1, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=train_loader)
