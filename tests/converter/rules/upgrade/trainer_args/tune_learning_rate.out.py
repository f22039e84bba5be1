import pytorch_lightning as pl
from pytorch_lightning.tuner import Tuner
def train(model):
    trainer = pl.Trainer(max_epochs=3)
    tuner = Tuner(trainer)
    tuner.lr_find(model)
    trainer.fit(model)
