import os  # noqa: F401  (never read by the input: kept for whatever importing it does)
import torch
import torch.nn.functional as F
from tqdm import trange
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

loader = DataLoader(TensorDataset(torch.randn(8, 3), torch.randn(8, 1)), batch_size=4)
model = torch.nn.Linear(3, 1)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 13."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
for _ in trange(1):
    print(F.mse_loss(model(torch.ones(1, 3)), torch.zeros(1, 1)).item())
