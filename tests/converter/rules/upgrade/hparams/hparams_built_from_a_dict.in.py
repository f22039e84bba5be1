import pytorch_lightning as pl


class Tagger(pl.LightningModule):
    def __init__(self, config):
        super().__init__()
        self.hparams = dict(config, dropout=0.1)
