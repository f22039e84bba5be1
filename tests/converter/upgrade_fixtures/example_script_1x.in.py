# t2l-fixture: run -- --max_epochs 1 --batch_size 8
"""A 1.0-1.5-era example script: a package helper imported from pytorch_lightning.utilities, a LightningDataModule
with add_argparse_args / from_argparse_args, the Trainer's argparse helpers, and
trainer.validate(val_dataloaders=...)."""
from argparse import ArgumentParser

import pytorch_lightning as pl
from pytorch_lightning import LightningDataModule, Trainer
from pytorch_lightning.utilities import _module_available

from tiny import Regressor, loader

_TORCH_AVAILABLE = _module_available("torch")


class TinyDataModule(LightningDataModule):
    def __init__(self, batch_size: int = 16, num_workers: int = 0):
        super().__init__()
        self.batch_size = batch_size

    def train_dataloader(self):
        return loader(self.batch_size)

    def val_dataloader(self):
        return loader(self.batch_size)


def cli_main():
    pl.seed_everything(1234)
    parser = ArgumentParser()
    parser.add_argument("--batch_size", type=int, default=16)
    parser = TinyDataModule.add_argparse_args(parser)
    parser = Trainer.add_argparse_args(parser)
    args = parser.parse_args()
    assert _TORCH_AVAILABLE
    dm = TinyDataModule.from_argparse_args(args)
    model = Regressor()
    trainer = Trainer.from_argparse_args(args, logger=False, checkpoint_callback=False)
    trainer.fit(model, datamodule=dm)
    trainer.validate(model, val_dataloaders=dm.val_dataloader())


if __name__ == "__main__":
    cli_main()
