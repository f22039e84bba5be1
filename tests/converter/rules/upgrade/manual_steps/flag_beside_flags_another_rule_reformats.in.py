import pytorch_lightning as pl

trainer = pl.Trainer(max_epochs=2, truncated_bptt_steps=4, automatic_optimization=True, logger=False,
                     checkpoint_callback=False, progress_bar_refresh_rate=0)
