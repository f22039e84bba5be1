"""The loaders come from `trainer.fit(model, train_loader, val_loader)`: the module's own val_dataloader is not what
2.x's `trainer.val_dataloaders` holds, so the file cannot tell whether [0] still works (T2L972)."""
import pytorch_lightning as pl
import torch
from torch.utils.data import DataLoader


class Plotter(pl.Callback):
    def on_validation_epoch_end(self, trainer, pl_module):
        # TODO(t2l): T2L972 1.x's trainer.val_dataloaders was always a list; 2.x's is what val_dataloader() returned (or fit was given): if that is one DataLoader, drop the [0] (it is not subscriptable)
        batch = next(iter(trainer.val_dataloaders[0]))
        pl_module.plot(batch)


class Model(pl.LightningModule):
    def val_dataloader(self):
        return DataLoader(range(8))


def main(train_loader, val_loader):
    trainer = pl.Trainer(max_epochs=1, callbacks=[Plotter()])
    trainer.fit(Model(), train_loader, val_loader)
