import torch
from torch import nn
import pytorch_lightning as pl

inputs, targets = torch.randn(64, 4), torch.randn(64, 1)


# TODO(t2l): T2L930 `batches` makes the batches of `batches()` drawing from torch's RNG, as the training does, and Lightning reads a loader without a length one batch ahead (before training_step): every draw lands elsewhere and the losses differ from the script's; give the data a generator of its own (torch.Generator(), random.Random()) or keep the loop with --to fabric
def batches(batch_size=16):
    for i in range(0, len(inputs), batch_size):
        x = inputs[i : i + batch_size]
        yield x * torch.empty_like(x).uniform_(0.9, 1.1), targets[i : i + batch_size]


def augment(x):
    return x + 0.1 * torch.randn_like(x)


model = nn.Linear(4, 1)


class EveryEpoch:
    """What the batch loop iterated, made again each epoch (a generator is used up after one pass)."""

    def __init__(self, make):
        self.make = make

    def __iter__(self):  # a generator: nothing is made until the first batch is asked for
        yield from self.make()


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 20."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self.model(augment(x)), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=EveryEpoch(lambda: batches()))
