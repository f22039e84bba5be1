import pytorch_lightning as pl
import torch


class M(pl.LightningModule):
    def training_step(self, batch, batch_idx):
        loss = self.layer(batch).sum()
        return {"loss": loss, "preds": batch}

    def training_epoch_end(self, outputs):
        print("epoch done", self.current_epoch)

    def validation_step(self, batch, batch_idx):
        return self.layer(batch).sum()

    def validation_epoch_end(self, outputs):
        avg = torch.stack([o for o in outputs]).mean()
        self.log("val", avg)
