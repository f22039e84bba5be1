# t2l-fixture: run
"""Trainer.add_argparse_args / from_argparse_args -> plain argparse (T2L223)."""
from argparse import ArgumentParser

import pytorch_lightning as pl

from tiny import Regressor, loader

parser = ArgumentParser()
parser.add_argument("--lr", type=float, default=0.05)
parser = pl.Trainer.add_argparse_args(parser)
args = parser.parse_args()

trainer = pl.Trainer.from_argparse_args(args, max_epochs=1, logger=False)
trainer.fit(Regressor(lr=args.lr), loader())
