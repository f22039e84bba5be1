import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl


class Regressor(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(4, 1)
        self.optimizer = torch.optim.SGD(self.parameters(), lr=0.1, momentum=0.9)
        self.criterion = torch.nn.MSELoss()

    def forward(self, x):
        return self.linear(x)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 17."""

    def __init__(self, model, optimizer):
        super().__init__()
        self.model = model
        self.optimizer = optimizer

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = self.model.criterion(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        self.loss = loss  # the last batch's, read after it
        return loss

    def configure_optimizers(self):
        return self.optimizer

    def on_train_epoch_end(self):
        print(self.current_epoch, self.loss.item())


def train_model(model, optimizer, loader, epochs):
    lit_model = LitModel(model=model, optimizer=optimizer)
    trainer = pl.Trainer(max_epochs=epochs, accelerator="cpu")
    trainer.fit(lit_model, train_dataloaders=loader)


net = Regressor()
train_model(net, net.optimizer, DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4), epochs=2)
