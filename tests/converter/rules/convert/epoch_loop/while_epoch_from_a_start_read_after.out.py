import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 8."""

    def __init__(self, model, optimizer):
        super().__init__()
        self.model = model
        self.optimizer = optimizer

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        return self.optimizer


def train(model, loader, optimizer, start_epoch, num_epochs):
    epoch = start_epoch
    lit_model = LitModel(model=model, optimizer=optimizer)
    trainer = pl.Trainer(max_epochs=num_epochs + 1 - start_epoch, accelerator="cpu")
    trainer.fit(lit_model, train_dataloaders=loader)
    return start_epoch + lit_model.current_epoch


model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)
print(train(model, loader, torch.optim.SGD(model.parameters(), lr=0.1), 1, 3))
