import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset
import pytorch_lightning as pl


# TODO(t2l): T2L930 `Jittered` makes the batches of `filter(lambda batch: batch[0].abs().m...` drawing from torch's RNG, as the training does, and Lightning reads a loader without a length one batch ahead (before training_step): every draw lands elsewhere and the losses differ from the script's; give the data a generator of its own (torch.Generator(), random.Random()) or keep the loop with --to fabric
class Jittered(Dataset):
    def __init__(self, n):
        self.x = torch.linspace(-1, 1, n).unsqueeze(1)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        x = self.x[i] + 0.1 * torch.rand(1)
        return x, torch.sin(3 * x)


loader = DataLoader(Jittered(64), batch_size=8, shuffle=True)
model = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Dropout(0.2), nn.Linear(16, 1))


class EveryEpoch:
    """What the batch loop iterated, made again each epoch (a generator is used up after one pass)."""

    def __init__(self, make):
        self.make = make

    def __iter__(self):  # a generator: nothing is made until the first batch is asked for
        yield from self.make()


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 22."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=EveryEpoch(lambda: filter(lambda batch: batch[0].abs().max() < 2, loader)))
