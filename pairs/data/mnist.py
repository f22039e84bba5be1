"""MNIST digits for every pair, read with numpy (no torchvision needed).

Two sources:
- ``embedded`` (default): 5,000 real digits vendored in ``pairs/data/mnist_5k.csv.gz``, split once with a
  fixed seed into 4,000 train / 500 validation / 500 test digits. Offline, about 0.2 s to load.
- ``full``: the standard IDX files (60,000 train + 10,000 test), downloaded from the mirrors torchvision
  uses, MD5-checked and cached (see ``pairs.data.download``); the last 5,000 of a fixed permutation of the
  training set are held out for validation.

Images come back normalised as users know it, ``(x / 255 - 0.1307) / 0.3081``, shape (N, 1, 28, 28).
"""

from __future__ import annotations

import functools
import gzip
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import DataLoader, TensorDataset

from pairs.data.download import fetch

MEAN, STD = 0.1307, 0.3081
SPLIT_SEED = 0  # never change: it defines which digits are train/val/test
EMBEDDED_SIZES = (4000, 500, 500)  # train, val, test
FULL_VAL_SIZE = 5000

MIRRORS = ("https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/")
IDX_FILES = {  # filename -> MD5, as published and as torchvision checks them
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}
SOURCES = ("embedded", "full")


@dataclass(frozen=True)
class Splits:
    train: TensorDataset
    val: TensorDataset
    test: TensorDataset


def read_idx(path: Path) -> np.ndarray:
    """Parse an IDX file (optionally gzipped): 2 zero bytes, a type code, ndim, big-endian int32 dims."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        data = handle.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise ValueError(f"{path}: not an IDX file (bad magic number)")
    dtypes = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
    if data[2] not in dtypes:
        raise ValueError(f"{path}: unknown IDX type code 0x{data[2]:02x}")
    ndim = data[3]
    shape = tuple(int(d) for d in np.frombuffer(data, dtype=">i4", count=ndim, offset=4))
    dtype = np.dtype(dtypes[data[2]])
    expected = 4 + 4 * ndim + int(np.prod(shape)) * dtype.itemsize
    if len(data) != expected:
        raise ValueError(f"{path}: {len(data)} bytes, but the header {shape} needs {expected}")
    return np.frombuffer(data, dtype=dtype, offset=4 + 4 * ndim).reshape(shape)


def normalise(pixels: np.ndarray) -> torch.Tensor:
    """uint8 (N, 28, 28) or (N, 784) -> float32 (N, 1, 28, 28), mean 0.1307 / std 0.3081 normalised."""
    images = torch.from_numpy(np.ascontiguousarray(pixels, dtype=np.uint8)).reshape(-1, 1, 28, 28)
    return (images.float() / 255.0 - MEAN) / STD


def _dataset(pixels: np.ndarray, labels: np.ndarray) -> TensorDataset:
    return TensorDataset(normalise(pixels), torch.from_numpy(labels.astype(np.int64)))


def _embedded() -> Splits:
    with resources.files("pairs.data").joinpath("mnist_5k.csv.gz").open("rb") as raw:
        table = np.loadtxt(gzip.open(raw, "rt"), delimiter=",", dtype=np.uint8)
    pixels, labels = table[:, :784], table[:, 784]
    order = np.random.default_rng(SPLIT_SEED).permutation(len(table))  # rows are sorted by class
    n_train, n_val, _ = EMBEDDED_SIZES
    parts = np.split(order, [n_train, n_train + n_val])
    return Splits(*(_dataset(pixels[idx], labels[idx]) for idx in parts))


def _full(directory: Path | None = None) -> Splits:
    paths = {name: fetch(name, MIRRORS, md5, directory) for name, md5 in IDX_FILES.items()}
    train_x, train_y = read_idx(paths["train-images-idx3-ubyte.gz"]), read_idx(paths["train-labels-idx1-ubyte.gz"])
    test_x, test_y = read_idx(paths["t10k-images-idx3-ubyte.gz"]), read_idx(paths["t10k-labels-idx1-ubyte.gz"])
    order = np.random.default_rng(SPLIT_SEED).permutation(len(train_x))
    train_idx, val_idx = order[:-FULL_VAL_SIZE], order[-FULL_VAL_SIZE:]
    return Splits(
        _dataset(train_x[train_idx], train_y[train_idx]),
        _dataset(train_x[val_idx], train_y[val_idx]),
        _dataset(test_x, test_y),
    )


@functools.cache
def load(source: str = "embedded") -> Splits:
    """The train/val/test splits of `source` ("embedded" or "full"); cached per process."""
    if source == "embedded":
        return _embedded()
    if source == "full":
        return _full()
    raise ValueError(f"unknown MNIST source {source!r}; choose from {', '.join(SOURCES)}")


def dataloader(split: str, batch_size: int, source: str = "embedded") -> DataLoader:
    """A DataLoader over one split; only the training split is shuffled.

    No explicit ``generator``: shuffling draws its seed from the global torch RNG when an epoch's
    iterator starts, exactly as in most user scripts (see the pair README for why that matters).
    """
    return DataLoader(getattr(load(source), split), batch_size=batch_size, shuffle=split == "train")
