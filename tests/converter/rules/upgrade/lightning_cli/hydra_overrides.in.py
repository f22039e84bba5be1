import sys

import pytorch_lightning as pl
from hydra import compose, initialize

# a LightningCLI command line: rewritten, the CLI builds the Trainer from these flags alone
sys.argv = ["train.py", "fit", "--trainer.gpus=2"]
with initialize(config_path="conf"):
    # Hydra overrides of a config's trainer section: marked, since the YAML they override must change with them
    config = compose("train", overrides=["trainer.gpus=0", "++trainer.max_epochs=3", "+trainer.distributed_backend=ddp"])
trainer = pl.Trainer(**config.trainer)
