"""The libcst converter: rewrites plain PyTorch training scripts into LightningModule hooks (work in progress)."""
