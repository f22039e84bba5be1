import torch
from torch.utils.data import DataLoader, RandomSampler, TensorDataset
import pytorch_lightning as pl


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
    """Built by `t2l convert` from the training loop at line 9."""

    def __init__(self, model, optimizer):
        super().__init__()
        self.model = model
        self.optimizer = optimizer

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        return self.optimizer


def train(model, optimizer, dataset, epochs, seed):
    generator = torch.Generator().manual_seed(seed)
    loader = DataLoader(dataset, batch_size=4, sampler=RandomSampler(dataset, generator=generator))
    lit_model = LitModel(model=model, optimizer=optimizer)
    trainer = pl.Trainer(max_epochs=epochs, accelerator="cpu")
    trainer.fit(lit_model, train_dataloaders=ReadToItsEnd(loader))


model = torch.nn.Linear(4, 1)
train(model, torch.optim.SGD(model.parameters(), lr=0.1), TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), 3, 0)
