import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=4, shuffle=True)
best, patience, bad_epochs = float("inf"), 2, 0


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 10."""

    def __init__(self, model, bad_epochs, best):
        super().__init__()
        self.model = model
        self.bad_epochs = bad_epochs
        self.best = best

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        self.loss = loss  # the last batch's, read after it
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.5)
        return optimizer

    def on_train_epoch_end(self):
        if self.loss.item() < self.best:
            self.best, self.bad_epochs = self.loss.item(), 0
        else:
            self.bad_epochs += 1
        if self.bad_epochs >= patience:
            self.trainer.should_stop = True; return


lit_model = LitModel(model=model, bad_epochs=bad_epochs, best=best)
trainer = pl.Trainer(max_epochs=50, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
print(f"stopped after epoch {lit_model.current_epoch - 1}, best {lit_model.best:.6f}")
