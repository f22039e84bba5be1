import pytorch_lightning as pl
import torch


class M(pl.LightningModule):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validation_step_outputs = []

    def training_step(self, batch, batch_idx):
        loss = self.layer(batch).sum()
        return {"loss": loss, "preds": batch}

    def on_train_epoch_end(self):
        print("epoch done", self.current_epoch)

    def validation_step(self, batch, batch_idx):
        return self.layer(batch).sum()

    def on_validation_batch_end(self, outputs, batch, batch_idx, dataloader_idx=0):
        self.validation_step_outputs.append(outputs)

    def on_validation_epoch_end(self):
        outputs = self.validation_step_outputs  # what validation_step returned this epoch
        self.validation_step_outputs = []
        avg = torch.stack([o for o in outputs]).mean()
        self.log("val", avg)
