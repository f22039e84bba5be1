# t2l-fixture: run
"""auto_lr_find= with trainer.tune() -> Tuner (T2L216)."""
import pytorch_lightning as pl
from pytorch_lightning.tuner import Tuner

from tiny import Regressor, loader

model = Regressor()
trainer = pl.Trainer(max_epochs=1, logger=False)
tuner = Tuner(trainer)
tuner.lr_find(model, train_dataloaders=loader())
print("lr after tuning:", model.lr)
trainer.fit(model, loader())

untuned = pl.Trainer(max_epochs=1, logger=False)
untuned.fit(Regressor(), loader())
