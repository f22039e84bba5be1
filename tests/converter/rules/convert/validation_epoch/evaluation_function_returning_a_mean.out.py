import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 22."""

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

    def on_validation_epoch_start(self):
        self.total, self.seen = 0.0, 0

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.total += torch.nn.functional.mse_loss(self.model(x), y, reduction="sum").item()
        self.seen += y.size(0)

    def on_validation_model_train(self):
        pass  # the script never switched back to train mode after evaluating: Lightning would

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        val_loss = self.total / self.seen
        self.log("val_loss", val_loss)
        history.append(val_loss)


torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
train_loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=8)
history = []
lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=3, num_sanity_val_steps=0, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=train_loader, val_dataloaders=val_loader)
