
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(8)
train = DataLoader(TensorDataset(torch.randn(36, 3), torch.randn(36, 1)), batch_size=12, shuffle=True)
model = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 1))
best, bad_epochs, patience = float("inf"), 0, 2


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 15."""

    def __init__(self, model, bad_epochs, best):
        super().__init__()
        self.model = model
        self.bad_epochs = bad_epochs
        self.best = best

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.total = 0.0

    def training_step(self, batch, batch_idx):
        # TODO(t2l): T2L911 epoch loop over itertools.count(): max_epochs=-1, set a limit
        xb, yb = batch
        loss = nn.functional.mse_loss(self.model(xb), yb)
        self.total += loss.item()
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        opt = torch.optim.Adam(self.model.parameters(), lr=0.03)
        return opt

    def on_train_epoch_end(self):
        if self.total < self.best:
            self.best, self.bad_epochs = self.total, 0
        else:
            self.bad_epochs += 1
        print(f"epoch {self.current_epoch + 1}: {self.total:.4f}")
        if self.bad_epochs > patience or (self.current_epoch + 1) >= 5:
            self.trainer.should_stop = True; return


lit_model = LitModel(model=model, bad_epochs=bad_epochs, best=best)
trainer = pl.Trainer(max_epochs=-1, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=train)
