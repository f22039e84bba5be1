import pytorch_lightning as pl


class Tagger(pl.LightningModule):
    def __init__(self, config):
        super().__init__()
        self.save_hyperparameters(dict(config, dropout=0.1))
