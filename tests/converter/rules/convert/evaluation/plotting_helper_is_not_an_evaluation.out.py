import matplotlib.pyplot as plt
import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

model = torch.nn.Linear(2, 1)
loader = DataLoader(TensorDataset(torch.randn(8, 2), torch.randn(8, 1)), batch_size=4)


def plot_points(xs, ys, labels):
    for px, py, s in zip(xs, ys, labels):
        plt.text(px, py, str(s))


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 23."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        plot_points(x[:, 0].tolist(), x[:, 1].tolist(), y[:, 0].tolist())
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.log("val_total", torch.nn.functional.mse_loss(self.model(x), y).item(), on_step=False, on_epoch=True, reduce_fx="sum")

    def on_validation_model_eval(self):
        pass  # the script evaluated in train mode (no .eval() before it): Lightning would switch to eval

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=2, num_sanity_val_steps=0, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=loader, val_dataloaders=loader)
