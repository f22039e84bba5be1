"""torch reseeded at each epoch's start, before the shuffling loader starts."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Subset, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
x = torch.randn(200, 6)
y = x @ torch.randn(6, 1)
dataset = TensorDataset(x, y)
loader = DataLoader(dataset, batch_size=25, shuffle=True)
model = nn.Linear(6, 1)


class StartedAtFirstBatch:
    """The loader, started at its first batch: Lightning starts the first epoch's loader when fit sets up, before
    on_train_epoch_start, and a shuffling DataLoader draws its order from torch's RNG when it starts."""

    def __init__(self, loader):
        self.loader = loader

    def __len__(self):
        return len(self.loader)

    def __iter__(self):  # a generator: the loader starts at the first batch asked for
        yield from self.loader


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 17."""

    def __init__(self, model, dataset):
        super().__init__()
        self.model = model
        self.dataset = dataset

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.total = 0.0
        torch.manual_seed(100 + self.current_epoch)

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
        print(f"epoch {self.current_epoch}: {len(self.dataset)} samples, loss {self.total / len(self.dataset):.5f}")


lit_model = LitModel(model=model, dataset=dataset)
trainer = pl.Trainer(max_epochs=4, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=StartedAtFirstBatch(loader))
