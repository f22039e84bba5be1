import pytorch_lightning as pl
import torch
import torch.nn.functional as F


class Regressor(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(4, 1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.mse_loss(self.layer(x), y)
        tensorboard_logs = {"train_loss": loss}
        return {"loss": loss, "log": tensorboard_logs, "progress_bar": {"lr": self.trainer.optimizers[0].param_groups[0]["lr"]}}

    def validation_step(self, batch, batch_idx):
        x, y = batch
        return {"val_loss": F.mse_loss(self.layer(x), y)}

    def validation_epoch_end(self, outputs):
        avg_loss = torch.stack([x["val_loss"] for x in outputs]).mean()
        return {"val_loss": avg_loss, "log": {"avg_val_loss": avg_loss}}

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)
