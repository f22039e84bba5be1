# t2l-fixture: run -- --max_epochs 1 --batch_size 8
"""A 1.0-1.5-era example script: a package helper imported from pytorch_lightning.utilities, a LightningDataModule
with add_argparse_args / from_argparse_args, the Trainer's argparse helpers, and
trainer.validate(val_dataloaders=...)."""
import inspect
from argparse import ArgumentParser

import pytorch_lightning as pl
from pytorch_lightning import LightningDataModule, Trainer
from lightning_utilities.core.imports import module_available as _module_available

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
    # TODO(t2l): T2L956 TinyDataModule.add_argparse_args was removed in 2.0: add the arguments of TinyDataModule.__init__ with parser.add_argument, or use LightningCLI
    pass
    # t2l T2L223: the Trainer flags this script reads (Trainer.add_argparse_args is gone)
    parser.add_argument("--accelerator", default="auto")
    parser.add_argument("--devices", default="auto")
    parser.add_argument("--num_nodes", type=int, default=1)
    parser.add_argument("--precision", default="32-true")
    parser.add_argument("--max_epochs", type=int, default=None)
    parser.add_argument("--max_steps", type=int, default=-1)
    parser.add_argument("--fast_dev_run", type=int, default=0)
    parser.add_argument("--default_root_dir", default=None)
    args = parser.parse_args()
    assert _TORCH_AVAILABLE
    dm = TinyDataModule(**{k: v for k, v in vars(args).items() if k in inspect.signature(TinyDataModule).parameters})
    model = Regressor()
    trainer = Trainer(accelerator=args.accelerator, devices=args.devices, num_nodes=args.num_nodes, precision=args.precision, max_epochs=args.max_epochs, max_steps=args.max_steps, fast_dev_run=args.fast_dev_run, default_root_dir=args.default_root_dir, logger=False, enable_checkpointing=False)
    trainer.fit(model, datamodule=dm)
    trainer.validate(model, dataloaders=dm.val_dataloader())


if __name__ == "__main__":
    cli_main()
