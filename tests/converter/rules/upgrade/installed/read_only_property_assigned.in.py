import pytorch_lightning as pl


class Resumable(pl.LightningModule):
    def __init__(self, start_epoch=0):
        super().__init__()
        self.current_epoch = start_epoch
        self.hparams["start_epoch"] = start_epoch
