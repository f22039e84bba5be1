import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
train_loader = DataLoader(TensorDataset(torch.randn(32, 5), torch.randn(32, 1)), batch_size=8, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.randn(16, 5), torch.randn(16, 1)), batch_size=8)
model = nn.Sequential(nn.Linear(5, 8), nn.Dropout(0.3), nn.Linear(8, 1))
eval_every = 2


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 14."""

    def __init__(self, model, val_loader):
        super().__init__()
        self.model = model
        self.val_loader = val_loader

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.model.train()

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        if (self.current_epoch + 1) % eval_every == 0:
            self.model.eval()
            val_loss = 0.0
            with torch.no_grad():
                for x, y in self.val_loader:
                    val_loss += nn.functional.mse_loss(self.model(x), y).item()
            print(f"epoch {self.current_epoch}: val {val_loss / len(self.val_loader):.5f}")


lit_model = LitModel(model=model, val_loader=val_loader)
trainer = pl.Trainer(max_epochs=5, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=train_loader)
