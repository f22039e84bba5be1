"""The shared MNIST data: the embedded split, normalisation, the IDX parser and the checksummed download."""

from __future__ import annotations

import gzip
import hashlib
import struct
from pathlib import Path

import numpy as np
import pytest
import torch

from pairs.data import mnist
from pairs.data.download import DownloadError, fetch, md5_of


def test_embedded_split_sizes_shapes_and_normalisation():
    splits = mnist.load("embedded")
    sizes = [len(splits.train), len(splits.val), len(splits.test)]
    assert sizes == list(mnist.EMBEDDED_SIZES)
    images, labels = splits.train.tensors
    assert images.shape == (4000, 1, 28, 28) and images.dtype == torch.float32
    assert labels.dtype == torch.int64 and set(labels.tolist()) == set(range(10))
    # Normalisation as torchvision users know it: 0 -> -0.1307/0.3081, 255 -> (1-0.1307)/0.3081.
    assert images.min().item() == pytest.approx(-0.1307 / 0.3081, abs=1e-6)
    assert images.max().item() == pytest.approx((1 - 0.1307) / 0.3081, abs=1e-6)


def test_embedded_split_is_shuffled_disjoint_and_stable():
    splits = mnist.load("embedded")
    # The file is sorted by class; a split that is not shuffled would put only 0s in train's head.
    assert len(set(splits.train.tensors[1][:50].tolist())) >= 8
    # Disjoint: no image appears in two splits.
    rows = {
        split: {hashlib.sha1(x.numpy().tobytes()).hexdigest() for x in getattr(splits, split).tensors[0]}
        for split in ("train", "val", "test")
    }
    assert not rows["train"] & rows["val"] and not rows["train"] & rows["test"] and not rows["val"] & rows["test"]
    # Stable: the split is a fixed function of SPLIT_SEED, recomputed here independently.
    order = np.random.default_rng(0).permutation(5000)
    raw = np.loadtxt(
        gzip.open(Path(mnist.__file__).parent / "mnist_5k.csv.gz", "rt"), delimiter=",", dtype=np.uint8
    )
    expected_val_labels = raw[order[4000:4500], 784].astype(np.int64)
    assert np.array_equal(splits.val.tensors[1].numpy(), expected_val_labels)


def write_idx(path: Path, array: np.ndarray, type_code: int = 0x08) -> None:
    header = bytes([0, 0, type_code, array.ndim]) + struct.pack(f">{array.ndim}i", *array.shape)
    payload = header + array.astype(array.dtype.newbyteorder(">")).tobytes()
    path.write_bytes(gzip.compress(payload) if path.suffix == ".gz" else payload)


@pytest.mark.parametrize("name", ["images-idx3-ubyte", "images-idx3-ubyte.gz"])
def test_read_idx_roundtrip(tmp_path: Path, name: str):
    array = np.random.default_rng(1).integers(0, 256, size=(7, 28, 28), dtype=np.uint8)
    write_idx(tmp_path / name, array)
    assert np.array_equal(mnist.read_idx(tmp_path / name), array)


def test_read_idx_other_dtypes_and_errors(tmp_path: Path):
    ints = np.arange(12, dtype=np.int32).reshape(3, 4)
    write_idx(tmp_path / "ints", ints, type_code=0x0C)
    assert np.array_equal(mnist.read_idx(tmp_path / "ints"), ints)
    (tmp_path / "bad").write_bytes(b"\x01\x02\x08\x01\x00\x00\x00\x01\x00")
    with pytest.raises(ValueError, match="bad magic"):
        mnist.read_idx(tmp_path / "bad")
    write_idx(tmp_path / "short", np.zeros((5, 3), dtype=np.uint8))
    (tmp_path / "short").write_bytes((tmp_path / "short").read_bytes()[:-2])
    with pytest.raises(ValueError, match="needs"):
        mnist.read_idx(tmp_path / "short")


@pytest.fixture
def mirror(tmp_path: Path) -> tuple[str, str, bytes]:
    served = tmp_path / "mirror"
    served.mkdir()
    array = np.arange(10, dtype=np.uint8)
    write_idx(served / "labels-idx1-ubyte.gz", array)
    return served.as_uri(), md5_of(served / "labels-idx1-ubyte.gz"), (served / "labels-idx1-ubyte.gz").read_bytes()


def test_fetch_downloads_verifies_and_caches(tmp_path: Path, mirror):
    url, md5, content = mirror
    cache = tmp_path / "cache"
    path = fetch("labels-idx1-ubyte.gz", [url], md5, cache)
    assert path.read_bytes() == content
    assert np.array_equal(mnist.read_idx(path), np.arange(10))
    # A cached, valid file is used without touching the (now broken) mirror.
    assert fetch("labels-idx1-ubyte.gz", ["file:///nonexistent"], md5, cache) == path


def test_fetch_rejects_corrupt_download_and_leaves_nothing(tmp_path: Path, mirror):
    url, _, _ = mirror
    cache = tmp_path / "cache"
    with pytest.raises(DownloadError, match="MD5"):
        fetch("labels-idx1-ubyte.gz", [url], "0" * 32, cache)
    assert list(cache.iterdir()) == []  # no half-written or corrupt file left behind


def test_fetch_replaces_a_corrupt_cached_file_and_tries_every_mirror(tmp_path: Path, mirror):
    url, md5, content = mirror
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "labels-idx1-ubyte.gz").write_bytes(b"truncated")
    path = fetch("labels-idx1-ubyte.gz", ["file:///nonexistent/mirror", url], md5, cache)
    assert path.read_bytes() == content
    with pytest.raises(DownloadError, match="nonexistent"):
        fetch("other.gz", ["file:///nonexistent/mirror"], md5, cache)
    assert sorted(p.name for p in cache.iterdir()) == ["labels-idx1-ubyte.gz"]


def test_full_source_uses_the_published_checksums(monkeypatch, tmp_path: Path):
    """`--data full` fetches the four standard files with torchvision's MD5s; offline it fails cleanly."""
    calls = []

    def fake_fetch(name, mirrors, md5, directory=None):
        calls.append((name, tuple(mirrors), md5))
        raise DownloadError(f"could not download {name}: offline")

    monkeypatch.setattr(mnist, "fetch", fake_fetch)
    with pytest.raises(DownloadError, match="train-images"):
        mnist._full()
    assert calls[0] == ("train-images-idx3-ubyte.gz", mnist.MIRRORS, "f68b3c2dcbeaaa9fbdd348bbdeb94873")
