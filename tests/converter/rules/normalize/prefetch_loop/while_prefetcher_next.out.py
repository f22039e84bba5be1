import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl


class PrefetchedBatches:
    """The batches the `while` loop at line 18 fetched, in order (t2l: iterated once per epoch)."""

    def __init__(self, loader):
        self.loader = loader

    def __iter__(self):
        prefetcher = Prefetcher(self.loader)
        x, y = prefetcher.next()
        while x is not None:
            yield x, y
            x, y = prefetcher.next()


class Prefetcher:
    def __init__(self, loader):
        self.it = iter(loader)
        self.batch = next(self.it, (None, None))

    def next(self):
        batch, self.batch = self.batch, next(self.it, (None, None))
        return batch


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 16."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)
lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=PrefetchedBatches(loader))
