import pytorch_lightning as pl
import torch


class Model(pl.LightningModule):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validation_step_outputs = []
        self.test_step_outputs = []

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

    def test_step(self, batch, batch_idx):
        return {"loss": self(batch).sum()}

    def on_test_batch_end(self, outputs, batch, batch_idx, dataloader_idx=0):
        self.test_step_outputs.append(outputs)

    def on_test_epoch_end(self):
        outputs = self.test_step_outputs  # what test_step returned this epoch
        self.test_step_outputs = []
        # TODO(t2l): T2L953 validation_epoch_end is now on_validation_epoch_end(), which reads self.validation_step_outputs: put the outputs there and call it, or move the shared code to a helper both hooks call
        self.validation_epoch_end(outputs)
