import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

regressor = torch.nn.Sequential(torch.nn.Linear(5, 16), torch.nn.Dropout(0.2), torch.nn.Linear(16, 1))
pairs = DataLoader(TensorDataset(torch.randn(40, 5), torch.randn(40, 1)), batch_size=10, shuffle=True)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 8."""

    def __init__(self, regressor):
        super().__init__()
        self.regressor = regressor

    def training_step(self, batch, batch_idx):
        inputs, targets = batch
        loss = torch.nn.functional.smooth_l1_loss(self.regressor(inputs), targets)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        sgd = torch.optim.SGD(self.regressor.parameters(), lr=0.05)
        return sgd


lit_model = LitModel(regressor=regressor)
trainer = pl.Trainer(max_epochs=2, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=pairs)
