import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

g = torch.Generator()
g.manual_seed(0)
model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=4, shuffle=True, generator=g)


class ReadToItsEnd:
    """The loader, asked for its end with its last batch each epoch, as a loop over it does: its sampler draws from
    its generator once more there (Lightning, at the loader's length, would stop a batch short of that)."""

    def __init__(self, loader):
        self.loader = loader

    def __len__(self):
        return len(self.loader)

    def __iter__(self):  # a generator: the loader starts at the first batch asked for
        batches = iter(self.loader)
        for i, batch in enumerate(batches):
            if i == len(self.loader) - 1:
                next(batches, None)  # the end: the sampler's last draw
            yield batch


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 10."""

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


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=3, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=ReadToItsEnd(loader))
