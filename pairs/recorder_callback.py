"""The Lightning side's bridge to `pairs.record.Recorder` (kept apart so plain sides never import Lightning)."""

from __future__ import annotations

import pytorch_lightning as pl
import torch

from pairs.record import Recorder


class RecorderCallback(pl.Callback):
    """Feeds a Recorder from Lightning's hooks. The sanity-check validation is not recorded."""

    def __init__(self, recorder: Recorder, grad_norm: bool = False):
        self.recorder = recorder
        self.grad_norm = grad_norm  # also record the total gradient norm before clipping

    def on_before_optimizer_step(self, trainer, pl_module, optimizer) -> None:
        # Lightning calls this after backward and *before* it clips: the same norm clip_grad_norm_ returns.
        if self.grad_norm:
            grads = [p.grad for group in optimizer.param_groups for p in group["params"] if p.grad is not None]
            self.recorder.pending["grad_norm"] = torch.nn.utils.get_total_norm(grads)

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx) -> None:
        self.recorder.train_step(outputs if isinstance(outputs, dict) else {"loss": outputs})

    def on_validation_batch_end(self, trainer, pl_module, outputs, batch, batch_idx, dataloader_idx=0):
        if not trainer.sanity_checking:
            self.recorder.val_batch(outputs)

    def on_validation_epoch_end(self, trainer, pl_module) -> None:
        if not trainer.sanity_checking:
            mean = None
            if trainer.world_size > 1:
                def mean(value: float) -> float:
                    tensor = torch.tensor(value, dtype=torch.float32, device=pl_module.device)
                    return float(trainer.strategy.reduce(tensor, reduce_op="mean"))
            self.recorder.end_val_epoch(mean)
