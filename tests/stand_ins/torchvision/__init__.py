"""Test-only stand-in for torchvision (see tests/stand_ins/README.md): fake data, real shapes, no downloads."""

from torchvision import datasets, models, ops, transforms, utils

__version__ = "0.0-stand-in"
__all__ = ["datasets", "models", "ops", "transforms", "utils"]
