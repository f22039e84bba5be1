import lightning.pytorch as L
import pytorch_lightning as pl
from pytorch_lightning.metrics import Accuracy
from pytorch_lightning.loggers.base import LightningLoggerBase

trainer = pl.Trainer(max_epochs=1)
from pytorch_lightning.loggers import CSVLogger, LightningLoggerBase as Base
from pytorch_lightning.callbacks import ProgressBarBase
from pytorch_lightning.utilities.cli import MODEL_REGISTRY, LightningCLI


@MODEL_REGISTRY
class Bar(ProgressBarBase):
    pass
