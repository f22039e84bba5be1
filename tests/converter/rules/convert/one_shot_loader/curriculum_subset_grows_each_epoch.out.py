"""A DataLoader built inside the epoch loop (curriculum: the subset grows each epoch)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Subset, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
x = torch.randn(200, 6)
y = x @ torch.randn(6, 1)
dataset = TensorDataset(x, y)
model = nn.Linear(6, 1)


class EveryEpoch:
    """What the batch loop iterated, made again each epoch (a generator is used up after one pass)."""

    def __init__(self, make):
        self.make = make

    def __iter__(self):  # a generator: nothing is made until the first batch is asked for
        yield from self.make()


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 17."""

    def __init__(self, dataset, model):
        super().__init__()
        self.dataset = dataset
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.total = 0.0
        self.subset = Subset(self.dataset, range(50 * (self.current_epoch + 1)))

    def training_step(self, batch, batch_idx):
        xb, yb = batch
        loss = nn.functional.mse_loss(self.model(xb), yb)
        self.total += loss.item() * len(xb)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.05)
        return optimizer

    def on_train_epoch_end(self):
        print(f"epoch {self.current_epoch}: {len(self.subset)} samples, loss {self.total / len(self.subset):.5f}")


lit_model = LitModel(dataset=dataset, model=model)
trainer = pl.Trainer(max_epochs=4, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=EveryEpoch(lambda: DataLoader(Subset(dataset, range(50 * (lit_model.current_epoch + 1))), batch_size=25, shuffle=True)))
