import lightning.pytorch as L
from lightning.pytorch.loggers import CSVLogger
from pytorch_lightning.callbacks import ModelCheckpoint

trainer = L.Trainer(logger=CSVLogger("logs"), callbacks=[ModelCheckpoint(dirpath="checkpoints")])
