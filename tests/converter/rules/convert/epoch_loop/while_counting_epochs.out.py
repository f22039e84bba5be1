import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(32, 5), torch.randn(32, 1)), batch_size=8, shuffle=True)
model = nn.Linear(5, 1)
epoch, max_epochs = 0, 3


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 12."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.total = 0.0

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self.model(x), y)
        self.total += loss.item()
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        print(self.current_epoch, self.total)


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=max_epochs, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
print("done", model.weight.sum().item())
