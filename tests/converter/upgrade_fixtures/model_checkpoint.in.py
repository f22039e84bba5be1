# t2l-fixture: run
"""ModelCheckpoint(period= / every_n_val_epochs=) -> every_n_epochs= (T2L218)."""
import pytorch_lightning as pl
from pytorch_lightning.callbacks import ModelCheckpoint

from tiny import Regressor, loader

every_epoch = ModelCheckpoint(dirpath="checkpoints", period=1, save_top_k=-1)
best = ModelCheckpoint(dirpath="best", monitor="val_loss", every_n_val_epochs=1)
trainer = pl.Trainer(max_epochs=2, callbacks=[every_epoch, best], logger=False)
trainer.fit(Regressor(), loader(), loader())
print(sorted(every_epoch.best_k_models))
