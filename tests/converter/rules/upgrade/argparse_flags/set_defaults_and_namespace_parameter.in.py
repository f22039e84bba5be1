"""The ImageNet-example shape: the Trainer flags come from a parent parser, `set_defaults` gives some of them
defaults, and `main(args)` reads them from its parameter. Every flag the script sets or reads must still exist."""
from argparse import ArgumentParser

import pytorch_lightning as pl


def main(args):
    if args.accelerator == "ddp":
        args.batch_size = int(args.batch_size / max(1, args.gpus))
    trainer = pl.Trainer.from_argparse_args(args)
    return trainer


def run_cli():
    parent_parser = ArgumentParser(add_help=False)
    parent_parser = pl.Trainer.add_argparse_args(parent_parser)
    parent_parser.add_argument("--batch-size", type=int, default=256)
    parser = ArgumentParser(parents=[parent_parser])
    parser.set_defaults(profiler="simple", deterministic=True, max_epochs=90)
    main(parser.parse_args())
