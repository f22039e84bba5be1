# t2l-fixture: run
"""auto_lr_find= with trainer.tune() -> Tuner (T2L216)."""
import pytorch_lightning as pl

from tiny import Regressor, loader

model = Regressor()
trainer = pl.Trainer(auto_lr_find=True, max_epochs=1, logger=False)
trainer.tune(model, train_dataloaders=loader())
print("lr after tuning:", model.lr)
trainer.fit(model, loader())

untuned = pl.Trainer(auto_scale_batch_size=True, max_epochs=1, logger=False)
untuned.fit(Regressor(), loader())
