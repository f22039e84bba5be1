import pytorch_lightning as pl
class Model(pl.LightningModule):
    def on_epoch_end(self):
        print("epoch done")

    def on_pretrain_routine_start(self):
        print("starting")
