import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl


def augment(batch):
    return batch + 0.1 * epoch * torch.randn_like(batch)  # stronger each epoch: the global `epoch`


torch.manual_seed(0)
x = torch.randn(96, 4)
loader = DataLoader(TensorDataset(x, x.sum(1, keepdim=True)), batch_size=16, shuffle=True)
model = torch.nn.Linear(4, 1)
max_epochs = 3
epoch = 0


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 17."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        global epoch
        epoch = self.current_epoch  # read as a global by the script's functions

    def training_step(self, batch, batch_idx):
        xb, yb = batch
        loss = torch.nn.functional.mse_loss(self.model(augment(xb)), yb)
        self.log("train_loss", loss, prog_bar=True)
        self.loss = loss  # the last batch's, read after it
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.05)
        return optimizer

    def on_train_epoch_end(self):
        print(f"epoch {epoch} loss {self.loss.item():.6f}")


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=max_epochs, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
