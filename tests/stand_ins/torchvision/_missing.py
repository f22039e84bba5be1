"""Names torchmetrics imports from torchvision when it sees one installed: here, stubs that say what they are."""

from __future__ import annotations


def stub(module: str, name: str):
    def missing(*args, **kwargs):
        raise NotImplementedError(f"torchvision.{module}.{name} is not in the test-only torchvision stand-in")

    missing.__name__ = name
    return missing
