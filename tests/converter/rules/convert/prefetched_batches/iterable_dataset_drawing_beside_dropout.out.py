import torch
from torch import nn
from torch.utils.data import DataLoader, IterableDataset
import pytorch_lightning as pl


# TODO(t2l): T2L930 `SineStream` makes the batches of `loader` drawing from torch's RNG, as the training does, and Lightning reads a loader without a length one batch ahead (before training_step): every draw lands elsewhere and the losses differ from the script's; give the data a generator of its own (torch.Generator(), random.Random()) or keep the loop with --to fabric
class SineStream(IterableDataset):
    def __iter__(self):
        for _ in range(32):
            x = torch.rand(1) * 6.28
            yield x, torch.sin(x)


model = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Dropout(0.2), nn.Linear(16, 1))
loader = DataLoader(SineStream(), batch_size=8)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 17."""

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
        optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-2)
        return optimizer


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
