import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl

train_set = TensorDataset(torch.randn(12, 3), torch.randn(12, 1))
val_set = TensorDataset(torch.randn(6, 3), torch.randn(6, 1))
model = torch.nn.Linear(3, 1)


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 12."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.log("val_loss", loss)

    def on_validation_model_eval(self):
        pass  # the script evaluated in train mode (no .eval() before it): Lightning would switch to eval

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer


lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=2, num_sanity_val_steps=0, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=DataLoader(train_set, batch_size=4, shuffle=True), val_dataloaders=DataLoader(val_set, batch_size=3))
