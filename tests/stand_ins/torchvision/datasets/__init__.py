"""Data sets of deterministic fake images with the shapes, modes and targets of the real ones.

Small by default (fast tests). `T2L_STAND_IN_SIZES=real` gives the real sets' sizes, for scripts that split
them with fixed lengths (`random_split(mnist_train, [55000, 5000])`).
"""

from __future__ import annotations

import os

import torch
from PIL import Image

# name: (height, width, PIL mode, classes, train size, test size)
REAL_SIZES = {"MNIST": (60000, 10000), "FashionMNIST": (60000, 10000), "KMNIST": (60000, 10000),
              "EMNIST": (124800, 20800), "CIFAR10": (50000, 10000), "CIFAR100": (50000, 10000),
              "SVHN": (73257, 26032)}  # fmt: skip
SHAPES = {
    "MNIST": (28, 28, "L", 10, 512, 128),
    "FashionMNIST": (28, 28, "L", 10, 512, 128),
    "KMNIST": (28, 28, "L", 10, 512, 128),
    "EMNIST": (28, 28, "L", 26, 512, 128),
    "CIFAR10": (32, 32, "RGB", 10, 512, 128),
    "CIFAR100": (32, 32, "RGB", 100, 512, 128),
    "SVHN": (32, 32, "RGB", 10, 512, 128),
    "ImageFolder": (64, 64, "RGB", 2, 128, 128),
    "LSUN": (64, 64, "RGB", 1, 128, 128),
    "CelebA": (64, 64, "RGB", 1, 128, 128),
}


class FakeImages(torch.utils.data.Dataset):
    height, width, mode, n_classes, train_size, test_size = SHAPES["MNIST"]

    def __init__(self, root=None, train=True, download=False, transform=None, target_transform=None, **kwargs):
        split = kwargs.get("split")
        self.train = train if split is None else split in ("train", "training", "letters", "byclass")
        self.root, self.transform, self.target_transform = root, transform, target_transform
        size = self.train_size if self.train else self.test_size
        generator = torch.Generator().manual_seed(1 if self.train else 2)
        channels = 1 if self.mode == "L" else 3
        self.data = torch.randint(0, 256, (size, self.height, self.width, channels), dtype=torch.uint8, generator=generator)
        if channels == 1:
            self.data = self.data.squeeze(-1)  # (N, H, W) as MNIST's .data
        self.targets = torch.randint(0, self.n_classes, (size,), generator=generator)
        self.classes = [str(c) for c in range(self.n_classes)]

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, index: int):
        image = Image.fromarray(self.data[index].numpy(), mode=self.mode)
        target = int(self.targets[index])
        if self.transform is not None:
            image = self.transform(image)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return image, target


class _ImageFolder(FakeImages):
    """ImageFolder(root, transform, target_transform, ...): the transform comes second, as torchvision's."""

    def __init__(self, root, transform=None, target_transform=None, loader=None, is_valid_file=None):
        super().__init__(root, train=True, transform=transform, target_transform=target_transform)


def _dataset(name: str, base: type = FakeImages) -> type:
    height, width, mode, n_classes, train_size, test_size = SHAPES[name]
    if os.environ.get("T2L_STAND_IN_SIZES") == "real":
        train_size, test_size = REAL_SIZES.get(name, (train_size, test_size))
    attributes = dict(height=height, width=width, mode=mode, n_classes=n_classes, train_size=train_size,
                      test_size=test_size)  # fmt: skip
    return type(name, (base,), attributes)


MNIST, FashionMNIST, KMNIST, EMNIST = (_dataset(n) for n in ("MNIST", "FashionMNIST", "KMNIST", "EMNIST"))
CIFAR10, CIFAR100, SVHN = (_dataset(n) for n in ("CIFAR10", "CIFAR100", "SVHN"))
LSUN, CelebA = (_dataset(n) for n in ("LSUN", "CelebA"))
ImageFolder = _dataset("ImageFolder", _ImageFolder)
