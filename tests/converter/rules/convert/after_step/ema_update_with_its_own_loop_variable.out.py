import copy

import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

model = torch.nn.Linear(4, 1)
ema = copy.deepcopy(model)
for p in ema.parameters():  # its own `p`: not the one the update's loop binds
    p.requires_grad_(False)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 14."""

    def __init__(self, model, ema):
        super().__init__()
        self.model = model
        self.ema = ema

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def on_train_batch_end(self, outputs, batch, batch_idx):
        with torch.no_grad():
            for p_ema, p in zip(self.ema.parameters(), self.model.parameters()):
                p_ema.mul_(0.9).add_(p, alpha=0.1)

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(model=model, ema=ema)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
print(sum(p.sum().item() for p in ema.parameters()))
