# t2l-fixture: run
"""gpus= / tpu_cores= / num_processes= / auto_select_gpus= (T2L201, T2L202)."""
import pytorch_lightning as pl

from tiny import Regressor, loader

cpu_trainer = pl.Trainer(gpus=0, max_epochs=1, logger=False)
cpu_trainer.fit(Regressor(), loader())

process_trainer = pl.Trainer(num_processes=1, max_epochs=1, logger=False)
process_trainer.fit(Regressor(), loader())

gpu_trainer = pl.Trainer(gpus=1, auto_select_gpus=True, max_epochs=1, logger=False)
gpu_trainer.fit(Regressor(), loader())

all_gpus = pl.Trainer(
    gpus=-1,
    max_epochs=1,
    logger=False,
)
all_gpus.fit(Regressor(), loader())

tpu_trainer = pl.Trainer(tpu_cores=8, max_epochs=1, logger=False)
tpu_trainer.fit(Regressor(), loader())
