import pytorch_lightning as pl
callbacks = make()
trainer = pl.Trainer(progress_bar_refresh_rate=5, callbacks=callbacks)
