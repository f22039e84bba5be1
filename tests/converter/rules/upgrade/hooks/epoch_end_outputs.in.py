import pytorch_lightning as pl
import torch


class Model(pl.LightningModule):
    def validation_step(self, batch, batch_idx):
        return {"loss": self(batch).sum()}

    def validation_step_end(self, outputs):
        return outputs

    def validation_epoch_end(self, outputs):
        self.log("val_loss", torch.stack([o["loss"] for o in outputs]).mean())

    def test_step(self, batch, batch_idx):
        return {"loss": self(batch).sum()}

    def test_epoch_end(self, outputs):
        self.validation_epoch_end(outputs)
