# t2l-fixture: run
"""Moved modules: pl.core.lightning, pl.callbacks.base, pl.profiler, pl.loggers.base (T2L219)."""
import pytorch_lightning as pl
import torch
from pytorch_lightning.callbacks.base import Callback
from pytorch_lightning.core.lightning import LightningModule
from pytorch_lightning.loggers.base import LightningLoggerBase
from pytorch_lightning.profiler import SimpleProfiler

from tiny import loader


class Printer(Callback):
    def on_train_end(self, trainer, pl_module):
        print("trained", isinstance(pl_module, LightningModule), LightningLoggerBase.__name__)


class Linear(LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(4, 1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        return torch.nn.functional.mse_loss(self.layer(x), y)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


profiler = pl.profiler.AdvancedProfiler(filename="advanced")
trainer = pl.Trainer(max_epochs=1, callbacks=[Printer()], profiler=profiler, logger=False)
trainer.fit(Linear(), loader())
trainer = pl.Trainer(max_epochs=1, profiler=SimpleProfiler(), logger=False)
trainer.fit(Linear(), loader())
