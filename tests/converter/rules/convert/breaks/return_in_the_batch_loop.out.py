import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 11."""

    def __init__(self):
        super().__init__()

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(model(x), y)
        if loss.item() < 0.01:
            # TODO(t2l): T2L916 `return` in the batch loop ended training early; in training_step it returns the loss: stop with self.trainer.should_stop = True (or Trainer(max_steps=...))
            return model
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        return optimizer


def train():
    lit_model = LitModel()
    trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
    trainer.fit(lit_model, train_dataloaders=loader)


train()
