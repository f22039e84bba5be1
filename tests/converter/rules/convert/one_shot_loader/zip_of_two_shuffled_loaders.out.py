import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
labeled = DataLoader(TensorDataset(torch.randn(24, 6), torch.randint(0, 3, (24,))), batch_size=8, shuffle=True)
unlabeled = DataLoader(TensorDataset(torch.randn(48, 6)), batch_size=16, shuffle=True)
model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 3))
lambda_u = 0.5


def consistency(x):
    with torch.no_grad():
        pseudo = model(x).softmax(-1).argmax(-1)
    return F.cross_entropy(model(x + 0.1 * torch.randn_like(x)), pseudo)


class EveryEpoch:
    """What the batch loop iterated, made again each epoch (a generator is used up after one pass)."""

    def __init__(self, make):
        self.make = make

    def __iter__(self):  # a generator: nothing is made until the first batch is asked for
        yield from self.make()


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 23."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.epoch_loss = 0.0
        self.model.train()

    def training_step(self, batch, batch_idx):
        (x_l, y_l), (x_u,) = batch
        loss = F.cross_entropy(self.model(x_l), y_l) + lambda_u * consistency(x_u)
        self.epoch_loss += loss.item()
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-2)
        return optimizer

    def on_train_epoch_end(self):
        print(self.current_epoch, round(self.epoch_loss, 4), self.optimizers().param_groups[0]["lr"])


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=3)
trainer.fit(lit_model, train_dataloaders=EveryEpoch(lambda: zip(labeled, unlabeled)))
