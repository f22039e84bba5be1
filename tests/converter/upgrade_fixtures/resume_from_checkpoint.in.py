# t2l-fixture: run
"""resume_from_checkpoint= and a mistaken Trainer(ckpt_path=) move to trainer.fit (T2L203, T2L225)."""
import pytorch_lightning as pl

from tiny import Regressor, loader

first = pl.Trainer(max_epochs=1, logger=False)
first.fit(Regressor(), train_dataloader=loader(), val_dataloaders=loader())
first.save_checkpoint("first.ckpt")

resumed = pl.Trainer(max_epochs=2, resume_from_checkpoint="first.ckpt", logger=False)
resumed.fit(Regressor(), train_dataloader=loader())
assert resumed.current_epoch == 2

again = pl.Trainer(max_epochs=3, ckpt_path="first.ckpt", logger=False)
again.fit(Regressor(), loader())
resumed.validate(Regressor(), val_dataloaders=loader(), verbose=False)
