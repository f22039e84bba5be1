from pytorch_lightning.profiler import PyTorchProfiler
from pytorch_lightning.utilities.cli import LightningCLI

from my_project import LitModel


def cli_main():
    LightningCLI(LitModel, trainer_defaults={"profiler": PyTorchProfiler(filename="perf"), "max_epochs": 5})


if __name__ == "__main__":
    cli_main()
