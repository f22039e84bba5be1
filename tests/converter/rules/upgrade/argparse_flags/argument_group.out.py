import pytorch_lightning as pl
# TODO(t2l): T2L956 Trainer.add_argparse_args was removed: add the Trainer flags yourself (for more Trainer flags, add them the same way or move to LightningCLI)
parser = pl.Trainer.add_argparse_args(parser, use_argument_group=group)
