import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl


class Regressor(torch.nn.Module):
    def __init__(self, lr=0.1):
        super().__init__()
        self.linear = torch.nn.Linear(4, 1)
        self.lr = lr

    def forward(self, x):
        return self.linear(x)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 17."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        self.loss = loss  # the last batch's, read after it
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=self.model.lr)
        return optimizer


def fit(model, loader, epochs):
    lit_model = LitModel(model=model)
    trainer = pl.Trainer(max_epochs=epochs, accelerator="cpu")
    trainer.fit(lit_model, train_dataloaders=loader)
    return lit_model.loss.item()


torch.manual_seed(0)
net = Regressor().to("cpu")
final = fit(net, DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4), epochs=2)
print(final)
