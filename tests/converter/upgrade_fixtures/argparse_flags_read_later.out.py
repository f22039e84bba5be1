# t2l-fixture: run -- --gradient_clip_val 0.5 --log-interval 2
"""The script reads Trainer flags from its namespace after parsing (`args.gradient_clip_val`): those flags must
still be defined after Trainer.add_argparse_args is gone, and reach the Trainer as from_argparse_args passed
them. Its own arguments (`--log-interval`, dest log_interval) are left alone."""
from argparse import ArgumentParser

import pytorch_lightning as pl

from tiny import Regressor, loader

parser = ArgumentParser()
parser.add_argument("--log-interval", type=int, default=10)
# t2l T2L223: the Trainer flags this script reads (Trainer.add_argparse_args is gone)
parser.add_argument("--accelerator", default="auto")
parser.add_argument("--devices", default="auto")
parser.add_argument("--num_nodes", type=int, default=1)
parser.add_argument("--precision", default="32-true")
parser.add_argument("--max_epochs", type=int, default=None)
parser.add_argument("--max_steps", type=int, default=-1)
parser.add_argument("--fast_dev_run", type=int, default=0)
parser.add_argument("--default_root_dir", default=None)
parser.add_argument("--gradient_clip_val", type=float, default=None)
args = parser.parse_args()
print(f"clipping at {args.gradient_clip_val}, logging every {args.log_interval} steps")

trainer = pl.Trainer(accelerator=args.accelerator, devices=args.devices, num_nodes=args.num_nodes, precision=args.precision, max_steps=args.max_steps, fast_dev_run=args.fast_dev_run, default_root_dir=args.default_root_dir, gradient_clip_val=args.gradient_clip_val, max_epochs=1, logger=False, enable_checkpointing=False)
trainer.fit(Regressor(lr=0.05), loader())
assert trainer.gradient_clip_val == 0.5
