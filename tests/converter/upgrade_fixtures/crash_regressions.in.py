# t2l-fixture: run
"""Shapes that crashed or broke `t2l upgrade` on real 1.x code, cut down: a removed argument written over two
lines (its TODO comment must stay one line), tpu_cores=None next to gpus=, a conditional gpus= (the nested
conditional must be parenthesised), auto_lr_find with trainer.tune (the tune line is replaced, then marked), and a
Trainer built by from_argparse_args whose fit call uses train_dataloader= (a second pass must rewrite it)."""
import argparse

import pytorch_lightning as pl

from tiny import Regressor, loader

use_gpu = False
trainer = pl.Trainer(
    max_epochs=1,
    gpus=1 if use_gpu else 0,
    tpu_cores=None,
    distributed_backend="ddp"
    if use_gpu
    else None,
)
trainer.fit(Regressor(), loader())

tuned = pl.Trainer(max_epochs=1, auto_lr_find=True, progress_bar_refresh_rate=0)
tuned.tune(Regressor(), train_dataloaders=loader())

parser = argparse.ArgumentParser()
parser = pl.Trainer.add_argparse_args(parser)
args = parser.parse_args(["--max_epochs", "1"])
from_args = pl.Trainer.from_argparse_args(args)
from_args.fit(Regressor(), train_dataloader=loader())
