import pytorch_lightning as pl


class Printer(pl.Callback):
    def on_validation_batch_end(self, trainer, pl_module, outputs, batch, batch_idx, dataloader_idx):
        print(batch_idx)

    def on_test_batch_start(self, trainer, pl_module, batch, batch_idx, dataloader_idx=0):
        pass

    def on_train_epoch_end(self, trainer, pl_module, outputs):
        print("epoch", trainer.current_epoch)

    def on_validation_epoch_end(self, trainer, pl_module, outputs):
        print(len(outputs))


class Model(pl.LightningModule):
    def training_step(self, batch, batch_idx):
        return batch.sum()

    def training_epoch_end(self, outputs):
        print(len(outputs))

    def on_epoch_end(self):
        print("end of an epoch")
