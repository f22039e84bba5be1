"""No ops in the stand-in: every name is a stub that raises when used (torchmetrics imports a few)."""

from torchvision._missing import stub


def __getattr__(name: str):
    return stub("ops", name)
