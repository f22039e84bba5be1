import sys

import pytorch_lightning as pl
from hydra import compose, initialize

# a LightningCLI command line: rewritten, the CLI builds the Trainer from these flags alone
sys.argv = ["train.py", "fit", "--trainer.accelerator=gpu", "--trainer.devices=2"]
with initialize(config_path="conf"):
    # Hydra overrides of a config's trainer section: marked, since the YAML they override must change with them
    # TODO(t2l): T2L958 trainer.gpus=0: the Trainer flag gpus was removed in 2.0 (accelerator=gpu and devices=N); change this override and the Trainer section of the config it overrides together
    # TODO(t2l): T2L958 +trainer.distributed_backend=ddp: the Trainer flag distributed_backend was removed in 2.0 (--trainer.strategy); change this override and the Trainer section of the config it overrides together
    config = compose("train", overrides=["trainer.gpus=0", "++trainer.max_epochs=3", "+trainer.distributed_backend=ddp"])
trainer = pl.Trainer(**config.trainer)
