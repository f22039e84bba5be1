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


class BuiltEachEpoch:
    """The DataLoader the epoch loop built, built again each epoch, with its length: Lightning reads a loader without
    one a batch ahead (a data set's random draws for the next batch would come before the step's)."""

    def __init__(self, build):
        self.build = build

    def __len__(self):  # asked each epoch, with Trainer(reload_dataloaders_every_n_epochs=1)
        return len(self.build())

    def __iter__(self):  # a generator: nothing is built until the first batch is asked for
        yield from self.build()


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
trainer = pl.Trainer(max_epochs=4, reload_dataloaders_every_n_epochs=1, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=BuiltEachEpoch(lambda: DataLoader(Subset(dataset, range(50 * (lit_model.current_epoch + 1))), batch_size=25, shuffle=True)))
