# t2l-fixture: run -- --gradient_clip_val 0.5 --log-interval 2
"""The script reads Trainer flags from its namespace after parsing (`args.gradient_clip_val`): those flags must
still be defined after Trainer.add_argparse_args is gone, and reach the Trainer as from_argparse_args passed
them. Its own arguments (`--log-interval`, dest log_interval) are left alone."""
from argparse import ArgumentParser

import pytorch_lightning as pl

from tiny import Regressor, loader

parser = ArgumentParser()
parser.add_argument("--log-interval", type=int, default=10)
parser = pl.Trainer.add_argparse_args(parser)
args = parser.parse_args()
print(f"clipping at {args.gradient_clip_val}, logging every {args.log_interval} steps")

trainer = pl.Trainer.from_argparse_args(args, max_epochs=1, logger=False, enable_checkpointing=False)
trainer.fit(Regressor(lr=0.05), loader())
assert trainer.gradient_clip_val == 0.5
