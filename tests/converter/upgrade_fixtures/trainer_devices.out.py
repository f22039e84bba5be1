# t2l-fixture: run
"""gpus= / tpu_cores= / num_processes= / auto_select_gpus= (T2L201, T2L202)."""
import pytorch_lightning as pl
from pytorch_lightning.accelerators import find_usable_cuda_devices

from tiny import Regressor, loader

cpu_trainer = pl.Trainer(accelerator="cpu", max_epochs=1, logger=False)
cpu_trainer.fit(Regressor(), loader())

process_trainer = pl.Trainer(accelerator="cpu", devices=1, max_epochs=1, logger=False)
process_trainer.fit(Regressor(), loader())

gpu_trainer = pl.Trainer(accelerator="gpu", devices=find_usable_cuda_devices(1), max_epochs=1, logger=False)
gpu_trainer.fit(Regressor(), loader())

all_gpus = pl.Trainer(
    accelerator="gpu",
    devices=-1,
    max_epochs=1,
    logger=False,
)
all_gpus.fit(Regressor(), loader())

tpu_trainer = pl.Trainer(accelerator="tpu", devices=8, max_epochs=1, logger=False)
tpu_trainer.fit(Regressor(), loader())
