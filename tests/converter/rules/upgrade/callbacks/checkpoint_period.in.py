import pytorch_lightning as pl
from pytorch_lightning.callbacks import ModelCheckpoint

checkpoint = ModelCheckpoint(monitor="val_loss", period=2)
