"""Paired implementations: the same model trained by a plain PyTorch loop and by Lightning."""
