import pytorch_lightning as pl


class Model(pl.LightningModule):
    def on_validation_epoch_end(self):
        outputs = self.validation_step_outputs
        # TODO(t2l): T2L959 1.x API t2l does not rewrite here (hooks: self.task.validation_epoch_end)
        self.task.validation_epoch_end(outputs)  # the task's own 1.x-era method: t2l cannot tell
