import sys

from pytorch_lightning.utilities.cli import LightningCLI

sys.argv = ["train.py", "fit", "--trainer.gpus=0", "--trainer.max_epochs=1"]
cli = LightningCLI(save_config_overwrite=True, args=["fit", "--trainer.gpus=2"])
other = LightningCLI(args=["fit", "--trainer.auto_lr_find=true"])
