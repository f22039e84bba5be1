# t2l-fixture: run
"""Trainer flags removed in 2.0 and their replacements (T2L208-214, T2L217, TODO T2L951)."""
import pytorch_lightning as pl
from pytorch_lightning.callbacks import LearningRateMonitor

from tiny import Regressor, loader

trainer = pl.Trainer(
    max_epochs=2,
    progress_bar_refresh_rate=0,
    checkpoint_callback=False,
    weights_summary="full",
    flush_logs_every_n_steps=10,
    terminate_on_nan=True,
    move_metrics_to_cpu=True,
    amp_backend="native",
    multiple_trainloader_mode="max_size_cycle",
    reload_dataloaders_every_epoch=True,
    accumulate_grad_batches={0: 2, 1: 1},
    stochastic_weight_avg=True,
    callbacks=[LearningRateMonitor()],
)
trainer.fit(Regressor(), loader())

saved = pl.Trainer(max_epochs=1, weights_save_path="weights", progress_bar_refresh_rate=5, logger=False)
saved.fit(Regressor(), loader())
