import pytorch_lightning as pl
parser = pl.Trainer.add_argparse_args(parser, use_argument_group=group)
