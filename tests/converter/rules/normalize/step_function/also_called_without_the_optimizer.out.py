import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)


def batch_loss(xb, yb, opt=None):
    loss = torch.nn.functional.mse_loss(model(xb), yb)
    if opt is not None:
        loss.backward()
        opt.step()
        opt.zero_grad()
    return loss.item()


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 20."""

    def __init__(self, model, loader):
        super().__init__()
        self.model = model
        self.loader = loader

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        xb, yb = batch
        loss = torch.nn.functional.mse_loss(self.model(xb), yb)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        opt = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return opt

    def on_train_epoch_end(self):
        with torch.no_grad():
            print(sum(batch_loss(xb, yb) for xb, yb in self.loader))


lit_model = LitModel(model=model, loader=loader)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader)
