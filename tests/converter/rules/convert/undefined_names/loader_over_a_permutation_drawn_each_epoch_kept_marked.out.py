import torch
from torch.utils.data import TensorDataset
import pytorch_lightning as pl

data = TensorDataset(torch.randn(64, 6), torch.randn(64, 1))
model = torch.nn.Linear(6, 1)


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
    """Built by `t2l convert` from the training loop at line 11."""

    def __init__(self, data, model):
        super().__init__()
        self.data = data
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        order = torch.randperm(len(self.data))[:32].tolist()

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(data=data, model=model)
trainer = pl.Trainer(max_epochs=3, accelerator="cpu")
# TODO(t2l): T2L925 `loader` is read here, and nothing defines it where this runs: it would raise NameError
trainer.fit(lit_model, train_dataloaders=StartedAtFirstBatch(loader))
