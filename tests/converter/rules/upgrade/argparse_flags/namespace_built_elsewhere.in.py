"""`Trainer.from_argparse_args` on a namespace no Trainer parser built (a YAML config): the Trainer gets the
entries its signature takes, as 1.x did, not a fixed handful of attributes the namespace may not have."""
import argparse

import pytorch_lightning as pl
import yaml

config = yaml.safe_load("max_epochs: 3\nlog_every_n_steps: 5\nlr: 0.1\n")
namespace = argparse.Namespace(**config)
trainer = pl.Trainer.from_argparse_args(namespace, logger=False)
