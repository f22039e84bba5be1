"""save_image and make_grid: a grid of the images (no normalisation arithmetic worth testing), saved as PNG."""

from __future__ import annotations

import torch
from PIL import Image


def make_grid(tensor, nrow: int = 8, padding: int = 2, normalize: bool = False, **kwargs) -> torch.Tensor:
    if isinstance(tensor, (list, tuple)):
        tensor = torch.stack(tensor)
    if tensor.dim() == 3:
        tensor = tensor.unsqueeze(0)
    count, channels, height, width = tensor.shape
    columns, rows = min(nrow, count), -(-count // nrow)
    grid = torch.zeros(channels, rows * (height + padding) + padding, columns * (width + padding) + padding)
    for index in range(count):
        top = (index // columns) * (height + padding) + padding
        left = (index % columns) * (width + padding) + padding
        grid[:, top : top + height, left : left + width] = tensor[index]
    if normalize:
        grid = (grid - grid.min()) / (grid.max() - grid.min()).clamp(min=1e-5)
    return grid


def save_image(tensor, fp, **kwargs) -> None:
    grid = make_grid(tensor.detach().cpu(), **{k: v for k, v in kwargs.items() if k in ("nrow", "padding", "normalize")})
    array = (grid.clamp(0, 1) * 255).byte().permute(1, 2, 0).squeeze(-1).numpy()
    Image.fromarray(array).save(fp, format="PNG")
