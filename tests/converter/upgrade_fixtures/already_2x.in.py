# t2l-fixture: unchanged
"""Code already written for 2.x is left exactly as it is."""
import pytorch_lightning as pl
from pytorch_lightning.callbacks import ModelCheckpoint

from tiny import Regressor, loader

trainer = pl.Trainer(accelerator="cpu", devices=1, precision="bf16-mixed", profiler="simple", max_epochs=1,
                     callbacks=[ModelCheckpoint(every_n_epochs=1)], enable_model_summary=False)
trainer.fit(Regressor(), loader(), ckpt_path=None)
