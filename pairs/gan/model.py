"""What both sides of the GAN pair share: the two networks, hyper-parameters, fixed noise and the grid PNG."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import Tensor, nn

from pairs.data import mnist

LATENT = 64
LEARNING_RATE = 2e-4
BETAS = (0.5, 0.999)
GRID = 8  # the sample grid is GRID x GRID digits
FIXED_NOISE_SEED = 1234  # its own generator: drawing it never touches the training RNG stream


class Generator(nn.Module):
    """Noise (B, LATENT) -> images (B, 1, 28, 28) in the same normalised space as the real digits."""

    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(LATENT, 128),
            nn.LeakyReLU(0.2),
            nn.Linear(128, 256),
            nn.LeakyReLU(0.2),
            nn.Linear(256, 28 * 28),
            nn.Tanh(),
        )

    def forward(self, noise: Tensor) -> Tensor:  # noise: (B, LATENT)
        pixels = (self.net(noise) + 1) / 2  # (B, 784) in [0, 1]
        return ((pixels - mnist.MEAN) / mnist.STD).view(-1, 1, 28, 28)


class Discriminator(nn.Module):
    """Images (B, 1, 28, 28) -> one logit each (B,): real or generated?"""

    def __init__(self) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.Linear(28 * 28, 256),
            nn.LeakyReLU(0.2),
            nn.Dropout(0.3),  # draws from the global RNG: both sides must call it in the same order
            nn.Linear(256, 128),
            nn.LeakyReLU(0.2),
            nn.Dropout(0.3),
            nn.Linear(128, 1),
        )

    def forward(self, images: Tensor) -> Tensor:
        return self.net(images).squeeze(1)


def adversarial_loss(logits: Tensor, real: bool) -> Tensor:
    target = torch.ones_like(logits) if real else torch.zeros_like(logits)
    return F.binary_cross_entropy_with_logits(logits, target)


def fixed_noise(count: int = GRID * GRID) -> Tensor:
    """The same noise every epoch and on both sides, drawn from a private generator."""
    return torch.randn(count, LATENT, generator=torch.Generator().manual_seed(FIXED_NOISE_SEED))


def save_grid(images: Tensor, path: Path) -> Path:
    """Write (GRID*GRID, 1, 28, 28) normalised images as one PNG grid of 8-bit grey pixels."""
    pixels = (images.detach() * mnist.STD + mnist.MEAN).clamp(0, 1).mul(255).round().to(torch.uint8)
    grid = pixels.view(GRID, GRID, 28, 28).permute(0, 2, 1, 3).reshape(GRID * 28, GRID * 28)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.ascontiguousarray(grid.cpu().numpy()), mode="L").resize((GRID * 56, GRID * 56), Image.NEAREST).save(
        path
    )
    return path


def summarise(batches: list[dict[str, Any]]) -> dict[str, float]:
    """Validation: mean discriminator and generator losses over the held-out digits (sample-weighted)."""
    count = sum(int(b["count"]) for b in batches)
    return {key: sum(float(b[key]) * int(b["count"]) for b in batches) / count for key in ("d_loss", "g_loss")}

