import pytorch_lightning as pl
class Model(pl.LightningModule):
    def on_train_epoch_end(self):
        print("epoch done")

    def on_fit_start(self):
        print("starting")
