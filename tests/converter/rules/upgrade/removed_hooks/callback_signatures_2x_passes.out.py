import pytorch_lightning as pl


class Printer(pl.Callback):
    def on_validation_batch_end(self, trainer, pl_module, outputs, batch, batch_idx, dataloader_idx=0):
        print(batch_idx)

    def on_test_batch_start(self, trainer, pl_module, batch, batch_idx, dataloader_idx=0):
        pass

    def on_train_epoch_end(self, trainer, pl_module):
        print("epoch", trainer.current_epoch)

    # TODO(t2l): T2L231 on_validation_epoch_end reads outputs, which 2.x no longer passes: collect what you need in on_validation_batch_end
    def on_validation_epoch_end(self, trainer, pl_module, outputs):
        print(len(outputs))


class Model(pl.LightningModule):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.training_step_outputs = []

    def training_step(self, batch, batch_idx):
        return batch.sum()

    def on_train_batch_end(self, outputs, batch, batch_idx):
        self.training_step_outputs.append(outputs)

    def on_train_epoch_end(self):
        outputs = self.training_step_outputs  # what training_step returned this epoch
        self.training_step_outputs = []
        print(len(outputs))

    # TODO(t2l): T2L227 on_epoch_end is never called by 2.x, and on_train_epoch_end is taken: merge it into on_train_epoch_end
    def on_epoch_end(self):
        print("end of an epoch")
