import jsonargparse
from pytorch_lightning.profilers import PyTorchProfiler
from pytorch_lightning.cli import LightningCLI

from my_project import LitModel


def cli_main():
    LightningCLI(LitModel, trainer_defaults={"profiler": jsonargparse.lazy_instance(PyTorchProfiler, filename="perf"), "max_epochs": 5})


if __name__ == "__main__":
    cli_main()
