import torch
from torch.utils.data import DataLoader, TensorDataset
import pytorch_lightning as pl


class Meter:
    def __init__(self):
        self.sum, self.count = 0.0, 0

    def update(self, value, n):
        self.sum, self.count = self.sum + value * n, self.count + n


class LitModel(pl.LightningModule):
    """Built by `t2l convert` from the training loop at line 30."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, *args, **kwargs):
        return self.model(*args, **kwargs)

    def on_train_epoch_start(self):
        self.losses = Meter()  # the training's own meter, under the same name

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        self.losses.update(loss.item(), len(x))
        self.log("train_loss", loss, prog_bar=True)
        return loss

    def on_validation_epoch_start(self):
        self.val_losses = Meter()

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.val_losses.update(torch.nn.functional.mse_loss(self.model(x), y).item(), len(x))

    def on_validation_model_train(self):
        pass  # the script never switched back to train mode after evaluating: Lightning would

    def configure_optimizers(self):
        optimizer = torch.optim.SGD(self.model.parameters(), lr=0.1)
        return optimizer

    def on_train_epoch_end(self):
        val_loss = self.val_losses.sum / self.val_losses.count
        self.log("val_loss", val_loss)
        history.append((self.losses.sum / self.losses.count, val_loss))


torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
train_loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=8)
history = []
lit_model = LitModel(model=model)
trainer = pl.Trainer(max_epochs=3, num_sanity_val_steps=0, accelerator="cpu")
trainer.fit(lit_model, train_dataloaders=train_loader, val_dataloaders=val_loader)
