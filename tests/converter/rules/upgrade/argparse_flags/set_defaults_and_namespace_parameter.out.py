"""The ImageNet-example shape: the Trainer flags come from a parent parser, `set_defaults` gives some of them
defaults, and `main(args)` reads them from its parameter. Every flag the script sets or reads must still exist."""
from argparse import ArgumentParser

import pytorch_lightning as pl


def main(args):
    if args.accelerator == "ddp":
        # TODO(t2l): T2L958 `args.gpus`: --gpus came from Trainer.add_argparse_args and was removed in 2.0 (use --accelerator / --devices and the other 2.x flags)
        args.batch_size = int(args.batch_size / max(1, args.gpus))
    trainer = pl.Trainer(accelerator=args.accelerator, devices=args.devices, num_nodes=args.num_nodes, precision=args.precision, max_epochs=args.max_epochs, max_steps=args.max_steps, fast_dev_run=args.fast_dev_run, default_root_dir=args.default_root_dir, profiler=args.profiler, deterministic=args.deterministic)
    return trainer


def run_cli():
    parent_parser = ArgumentParser(add_help=False)
    # t2l T2L223: the Trainer flags this script reads (Trainer.add_argparse_args is gone)
    parent_parser.add_argument("--accelerator", default="auto")
    parent_parser.add_argument("--devices", default="auto")
    parent_parser.add_argument("--num_nodes", type=int, default=1)
    parent_parser.add_argument("--precision", default="32-true")
    parent_parser.add_argument("--max_epochs", type=int, default=None)
    parent_parser.add_argument("--max_steps", type=int, default=-1)
    parent_parser.add_argument("--fast_dev_run", type=int, default=0)
    parent_parser.add_argument("--default_root_dir", default=None)
    parent_parser.add_argument("--profiler", default=None)
    parent_parser.add_argument("--deterministic", default=None)
    parent_parser.add_argument("--batch-size", type=int, default=256)
    parser = ArgumentParser(parents=[parent_parser])
    parser.set_defaults(profiler="simple", deterministic=True, max_epochs=90)
    main(parser.parse_args())
