import lightning.pytorch as L
import pytorch_lightning as pl
# TODO(t2l): T2L958 pytorch_lightning.metrics became the torchmetrics package (its functions now need task=)
from pytorch_lightning.metrics import Accuracy
from pytorch_lightning.loggers import Logger as LightningLoggerBase

trainer = pl.Trainer(max_epochs=1)
from pytorch_lightning.loggers import CSVLogger, Logger as Base
from pytorch_lightning.callbacks import ProgressBar as ProgressBarBase
from pytorch_lightning.cli import LightningCLI


class Bar(ProgressBarBase):
    pass
