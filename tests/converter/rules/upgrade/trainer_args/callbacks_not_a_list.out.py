import pytorch_lightning as pl
from pytorch_lightning.callbacks import TQDMProgressBar
callbacks = make()
# TODO(t2l): T2L957 add TQDMProgressBar(refresh_rate=5) to callbacks=
trainer = pl.Trainer(callbacks=callbacks)
