"""The Lightning side's bridge to `pairs.record.Recorder` (kept apart so plain sides never import Lightning)."""

from __future__ import annotations

import pytorch_lightning as pl

from pairs.record import Recorder


class RecorderCallback(pl.Callback):
    """Feeds a Recorder from Lightning's hooks. The sanity-check validation is not recorded."""

    def __init__(self, recorder: Recorder):
        self.recorder = recorder

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx) -> None:
        self.recorder.train_step(outputs)

    def on_validation_batch_end(self, trainer, pl_module, outputs, batch, batch_idx, dataloader_idx=0):
        if not trainer.sanity_checking:
            self.recorder.val_batch(outputs)

    def on_validation_epoch_end(self, trainer, pl_module) -> None:
        if not trainer.sanity_checking:
            self.recorder.end_val_epoch()
