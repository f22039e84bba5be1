from argparse import ArgumentParser

import pytorch_lightning as pl

parser = ArgumentParser()
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
trainer = pl.Trainer(accelerator=args.accelerator, devices=args.devices, num_nodes=args.num_nodes, precision=args.precision, max_epochs=args.max_epochs, max_steps=args.max_steps, fast_dev_run=args.fast_dev_run, default_root_dir=args.default_root_dir)
