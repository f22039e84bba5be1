# t2l-fixture: run
"""Hooks 2.x never calls, without an error: on_epoch_end, on_pretrain_routine_start, Callback on_batch_end,
and on_train_batch_end's dataloader_idx (T2L227). The asserts at the end fail on 2.x until they are renamed."""
import pytorch_lightning as pl
import torch
from pytorch_lightning.callbacks import EarlyStopping

from tiny import loader


class Counting(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(4, 1)
        self.calls = {"epoch_end": 0, "pretrain": 0, "batch_end": 0}

    def training_step(self, batch, batch_idx):
        x, y = batch
        return torch.nn.functional.mse_loss(self.layer(x), y)

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.05)

    def on_fit_start(self):
        self.calls["pretrain"] += 1

    def on_train_epoch_end(self):
        self.calls["epoch_end"] += 1

    def on_train_batch_end(self, outputs, batch, batch_idx):
        self.calls["batch_end"] += 1


class BatchCounter(pl.Callback):
    def __init__(self):
        self.batches = 0

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        self.batches += 1


class EpochCountingStop(EarlyStopping):
    """A subclass of one of Lightning's callbacks that hands the hook on to its base."""

    def __init__(self):
        super().__init__(monitor="train_loss", patience=100, strict=False)
        self.epochs = 0

    def on_train_epoch_start(self, trainer, pl_module):
        self.epochs += 1
        super().on_train_epoch_start(trainer, pl_module)

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        super().on_train_batch_end(trainer, pl_module, outputs, batch, batch_idx)


model, counter, stop = Counting(), BatchCounter(), EpochCountingStop()
trainer = pl.Trainer(max_epochs=2, callbacks=[counter, stop], logger=False, enable_checkpointing=False)
trainer.fit(model, loader())
print(model.calls, counter.batches, stop.epochs)
assert model.calls == {"epoch_end": 2, "pretrain": 1, "batch_end": 8} and counter.batches == 8 and stop.epochs == 2
