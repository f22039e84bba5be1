"""The common transforms, on PIL images and tensors as torchvision's (randomness from torch's generator)."""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image


class Compose:
    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, x):
        for transform in self.transforms:
            x = transform(x)
        return x


class ToTensor:
    def __call__(self, image: Image.Image) -> torch.Tensor:
        array = np.asarray(image, dtype=np.uint8)
        if array.ndim == 2:
            array = array[:, :, None]
        return torch.from_numpy(array.copy()).permute(2, 0, 1).float().div(255)


class Normalize:
    def __init__(self, mean, std, inplace=False):
        self.mean, self.std = torch.as_tensor(mean), torch.as_tensor(std)

    def __call__(self, tensor: torch.Tensor) -> torch.Tensor:  # in place on a copy, as torchvision (and its errors)
        return tensor.clone().sub_(self.mean.view(-1, 1, 1)).div_(self.std.view(-1, 1, 1))


def _size(size) -> tuple[int, int]:
    return (size, size) if isinstance(size, int) else tuple(size)


class Resize:
    def __init__(self, size, interpolation=None):
        self.size = size

    def __call__(self, image: Image.Image) -> Image.Image:
        if isinstance(self.size, int):  # the shorter side becomes `size`
            width, height = image.size
            scale = self.size / min(width, height)
            return image.resize((round(width * scale), round(height * scale)), Image.BILINEAR)
        return image.resize(_size(self.size)[::-1], Image.BILINEAR)


class CenterCrop:
    def __init__(self, size):
        self.height, self.width = _size(size)

    def __call__(self, image: Image.Image) -> Image.Image:
        width, height = image.size
        left, top = (width - self.width) // 2, (height - self.height) // 2
        return image.crop((left, top, left + self.width, top + self.height))


class RandomCrop:
    def __init__(self, size, padding=0, **kwargs):
        self.height, self.width = _size(size)
        self.padding = padding

    def __call__(self, image: Image.Image) -> Image.Image:
        if self.padding:
            padded = Image.new(image.mode, (image.size[0] + 2 * self.padding, image.size[1] + 2 * self.padding))
            padded.paste(image, (self.padding, self.padding))
            image = padded
        width, height = image.size
        left = int(torch.randint(0, width - self.width + 1, (1,)))
        top = int(torch.randint(0, height - self.height + 1, (1,)))
        return image.crop((left, top, left + self.width, top + self.height))


class RandomResizedCrop:
    """A random crop of `scale` of the area (aspect kept), resized to `size`: torchvision's idea, simplified."""

    def __init__(self, size, scale=(0.08, 1.0), ratio=None, interpolation=None):
        self.height, self.width = _size(size)
        self.scale = scale

    def __call__(self, image: Image.Image) -> Image.Image:
        width, height = image.size
        fraction = float(torch.empty(1).uniform_(*self.scale)) ** 0.5
        crop_width, crop_height = max(1, round(width * fraction)), max(1, round(height * fraction))
        left = int(torch.randint(0, width - crop_width + 1, (1,)))
        top = int(torch.randint(0, height - crop_height + 1, (1,)))
        box = (left, top, left + crop_width, top + crop_height)
        return image.crop(box).resize((self.width, self.height), Image.BILINEAR)


class RandomHorizontalFlip:
    def __init__(self, p=0.5):
        self.p = p

    def __call__(self, image: Image.Image) -> Image.Image:
        return image.transpose(Image.FLIP_LEFT_RIGHT) if float(torch.rand(1)) < self.p else image


class Grayscale:
    def __init__(self, num_output_channels=1):
        self.channels = num_output_channels

    def __call__(self, image: Image.Image) -> Image.Image:
        gray = image.convert("L")
        return gray if self.channels == 1 else Image.merge("RGB", [gray] * 3)


class Lambda:
    def __init__(self, function):
        self.function = function

    def __call__(self, x):
        return self.function(x)
