import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
x = torch.randn(256, 5)
y = x @ torch.randn(5, 1)
loader = DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True)
model = torch.nn.Linear(5, 1)
converged = False


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 13."""

    def __init__(self, converged, model):
        super().__init__()
        self.converged = converged
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.total = 0.0

    def training_step(self, batch, batch_idx):
        xb, yb = batch
        loss = torch.nn.functional.mse_loss(self.model(xb), yb)
        self.total += loss.item()
        if loss.item() < 1e-3:
            self.converged = True
            print(f"converged in epoch {self.current_epoch}")
            self.trainer.should_stop = True
        self.log("train_loss", loss, prog_bar=True)
        self.loss = loss  # the last batch's, read after it
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        print(f"epoch {self.current_epoch} total {self.total:.5f}")
        if self.converged:
            self.trainer.should_stop = True; return


lit_model = LitModel(converged=converged, model=model)
trainer = pl.Trainer(max_epochs=50, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
print("converged" if lit_model.converged else "not converged", f"{lit_model.loss.item():.6f}")
