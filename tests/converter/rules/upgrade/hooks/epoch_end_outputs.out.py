import pytorch_lightning as pl
import torch


class Model(pl.LightningModule):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validation_step_outputs = []

    def validation_step(self, batch, batch_idx):
        return self._validation_step_end({"loss": self(batch).sum()})

    def _validation_step_end(self, outputs):
        return outputs

    def on_validation_batch_end(self, outputs, batch, batch_idx, dataloader_idx=0):
        self.validation_step_outputs.append(outputs)

    def on_validation_epoch_end(self):
        outputs = self.validation_step_outputs  # what validation_step returned this epoch
        self.validation_step_outputs = []
        self.log("val_loss", torch.stack([o["loss"] for o in outputs]).mean())
