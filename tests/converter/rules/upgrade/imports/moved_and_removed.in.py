import lightning.pytorch as L
import pytorch_lightning as pl
from pytorch_lightning.metrics import Accuracy
from pytorch_lightning.loggers.base import LightningLoggerBase

trainer = pl.Trainer(max_epochs=1)
