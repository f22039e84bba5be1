# t2l-fixture: run
"""Shapes that crashed or broke `t2l upgrade` on real 1.x code, cut down: a removed argument written over two
lines (its TODO comment must stay one line), tpu_cores=None next to gpus=, a conditional gpus= (the nested
conditional must be parenthesised), auto_lr_find with trainer.tune (the tune line is replaced, then marked), and a
Trainer built by from_argparse_args whose fit call uses train_dataloader= (a second pass must rewrite it)."""
import argparse

import pytorch_lightning as pl
from pytorch_lightning.tuner import Tuner

from tiny import Regressor, loader

use_gpu = False
trainer = pl.Trainer(
    max_epochs=1,
    accelerator="gpu" if (1 if use_gpu else 0) else "cpu",
    devices=(1 if use_gpu else 0) or 1,
    strategy=("ddp"
    if use_gpu
    else None) or "auto",
)
trainer.fit(Regressor(), loader())

tuned = pl.Trainer(max_epochs=1, enable_progress_bar=False)
tuner = Tuner(tuned)
tuner.lr_find(Regressor(), train_dataloaders=loader())

parser = argparse.ArgumentParser()
# t2l T2L223: the Trainer flags this script reads (Trainer.add_argparse_args is gone)
parser.add_argument("--accelerator", default="auto")
parser.add_argument("--devices", default="auto")
parser.add_argument("--num_nodes", type=int, default=1)
parser.add_argument("--precision", default="32-true")
parser.add_argument("--max_epochs", type=int, default=None)
parser.add_argument("--max_steps", type=int, default=-1)
parser.add_argument("--fast_dev_run", type=int, default=0)
parser.add_argument("--default_root_dir", default=None)
args = parser.parse_args(["--max_epochs", "1"])
from_args = pl.Trainer(accelerator=args.accelerator, devices=args.devices, num_nodes=args.num_nodes, precision=args.precision, max_epochs=args.max_epochs, max_steps=args.max_steps, fast_dev_run=args.fast_dev_run, default_root_dir=args.default_root_dir)
from_args.fit(Regressor(), train_dataloaders=loader())
