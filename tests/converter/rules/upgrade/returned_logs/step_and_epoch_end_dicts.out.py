import pytorch_lightning as pl
import torch
import torch.nn.functional as F


class Regressor(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.validation_step_outputs = []
        self.layer = torch.nn.Linear(4, 1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.mse_loss(self.layer(x), y)
        tensorboard_logs = {"train_loss": loss}
        self.log_dict(tensorboard_logs)
        self.log_dict({"lr": self.trainer.optimizers[0].param_groups[0]["lr"]}, prog_bar=True)
        return {"loss": loss}

    def validation_step(self, batch, batch_idx):
        x, y = batch
        return {"val_loss": F.mse_loss(self.layer(x), y)}

    def on_validation_batch_end(self, outputs, batch, batch_idx, dataloader_idx=0):
        self.validation_step_outputs.append(outputs)

    def on_validation_epoch_end(self):
        outputs = self.validation_step_outputs  # what validation_step returned this epoch
        self.validation_step_outputs = []
        avg_loss = torch.stack([x["val_loss"] for x in outputs]).mean()
        self.log_dict({"avg_val_loss": avg_loss})
        self.log_dict({"val_loss": avg_loss})

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)
