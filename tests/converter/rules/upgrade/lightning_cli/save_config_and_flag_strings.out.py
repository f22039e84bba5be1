import sys

from pytorch_lightning.cli import LightningCLI

sys.argv = ["train.py", "fit", "--trainer.accelerator=cpu", "--trainer.max_epochs=1"]
cli = LightningCLI(args=["fit", "--trainer.accelerator=gpu", "--trainer.devices=2"], save_config_kwargs={"overwrite": True})
# TODO(t2l): T2L958 --trainer.auto_lr_find=true: the Trainer flag auto_lr_find was removed in 2.0 (the Tuner)
other = LightningCLI(args=["fit", "--trainer.auto_lr_find=true"])
