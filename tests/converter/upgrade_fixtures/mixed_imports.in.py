# t2l-fixture: run
"""A file mixing pytorch_lightning and lightning.pytorch gets one package (T2L224): the one it mostly uses."""
import pytorch_lightning as pl
from lightning.pytorch.callbacks import ModelCheckpoint
from pytorch_lightning.callbacks import LearningRateMonitor

from tiny import Regressor, loader

# Mixed, this raises in 2.x: "Expected a parent of type pytorch_lightning.Callback" / isinstance fails.
trainer = pl.Trainer(max_epochs=1, callbacks=[ModelCheckpoint(dirpath="ckpt"), LearningRateMonitor()])
trainer.fit(Regressor(), loader())
