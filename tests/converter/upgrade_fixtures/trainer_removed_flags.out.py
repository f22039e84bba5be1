# t2l-fixture: run
"""Trainer flags removed in 2.0 and their replacements (T2L208-214, T2L217, TODO T2L951)."""
import pytorch_lightning as pl
from pytorch_lightning.callbacks import LearningRateMonitor, ModelSummary, GradientAccumulationScheduler, TQDMProgressBar

from tiny import Regressor, loader

# TODO(t2l): T2L951 removed `stochastic_weight_avg=True`: add callbacks=[StochasticWeightAveraging(swa_lrs=...)]: 2.x needs the SWA learning rate
trainer = pl.Trainer(
    max_epochs=2,
    enable_progress_bar=False,
    enable_checkpointing=False,
    detect_anomaly=True,
    reload_dataloaders_every_n_epochs=1,
    callbacks=[LearningRateMonitor(), ModelSummary(max_depth=-1), GradientAccumulationScheduler(scheduling={0: 2, 1: 1})],
)
trainer.fit(Regressor(), loader())

saved = pl.Trainer(max_epochs=1, default_root_dir="weights", logger=False, callbacks=[TQDMProgressBar(refresh_rate=5)])
saved.fit(Regressor(), loader())
