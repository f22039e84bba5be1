import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
trunk = torch.nn.Linear(4, 8)
heads = torch.nn.ModuleDict({"a": torch.nn.Linear(8, 1), "b": torch.nn.Linear(8, 1)})
loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 2)), batch_size=4, shuffle=True)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 11."""

    def __init__(self, heads, trunk, loader):
        super().__init__()
        self.heads = heads
        self.trunk = trunk
        self.loader = loader

    def on_train_epoch_start(self):
        self.sums = {k: 0.0 for k in self.heads}

    def training_step(self, batch, batch_idx):
        x, y = batch
        h = self.trunk(x)
        losses = {k: torch.nn.functional.mse_loss(self.heads[k](h), y[:, i : i + 1]) for i, k in enumerate(self.heads)}
        loss = sum(losses.values())
        for k, value in losses.items():
            self.sums[k] += value.item()
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD([*self.trunk.parameters(), *self.heads.parameters()], lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        print(self.current_epoch, {k: round(v / len(self.loader), 6) for k, v in self.sums.items()})


lit_model = LitModel(heads=heads, trunk=trunk, loader=loader)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
