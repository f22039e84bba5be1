"""`Trainer.from_argparse_args` on a namespace no Trainer parser built (a YAML config): the Trainer gets the
entries its signature takes, as 1.x did, not a fixed handful of attributes the namespace may not have."""
import inspect
import argparse

import pytorch_lightning as pl
import yaml

config = yaml.safe_load("max_epochs: 3\nlog_every_n_steps: 5\nlr: 0.1\n")
namespace = argparse.Namespace(**config)
# TODO(t2l): T2L956 the Trainer now gets the entries of namespace its 2.x signature takes, as from_argparse_args did; 1.x flags 2.x removed (gpus, tpu_cores, ...) are dropped: check it holds none
trainer = pl.Trainer(**{k: v for k, v in vars(namespace).items() if k in inspect.signature(pl.Trainer).parameters and k not in {'logger'}}, logger=False)
