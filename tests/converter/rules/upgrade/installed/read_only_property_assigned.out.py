import pytorch_lightning as pl


class Resumable(pl.LightningModule):
    def __init__(self, start_epoch=0):
        super().__init__()
        # TODO(t2l): T2L960 the installed Lightning 2.x rejects this: `self.current_epoch = ...`: a read-only property (AttributeError)
        self.current_epoch = start_epoch
        self.hparams["start_epoch"] = start_epoch
