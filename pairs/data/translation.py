"""English -> French sentence pairs for the seq2seq pair: tokeniser, vocabularies, batches.

Embedded default: the 5,000 Tatoeba pairs in ``pairs/data/eng-fra-5k.txt`` (CC-BY 2.0 France; the third
column of every line is its attribution and is kept in the file). Split once with a fixed seed into
4,500 training and 500 validation pairs. ``full``: the ``eng-fra.txt`` of the PyTorch seq2seq tutorial,
downloaded once (see ``FULL_DATA``), filtered to sentences of at most ``MAX_LEN - 1`` tokens.
"""

from __future__ import annotations

import functools
import re
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
import torch
from torch.utils.data import DataLoader

from pairs.data.download import fetch

PAD, SOS, EOS, UNK = 0, 1, 2, 3
SPECIALS = ("<pad>", "<sos>", "<eos>", "<unk>")
MAX_LEN = 12  # tokens per sentence including <eos>; longer sentences are cut (embedded: none are)
MIN_COUNT = 2  # words seen once in training become <unk>: a smaller output layer, 2x faster steps
SPLIT_SEED = 0
VAL_SIZE = 500
# The tutorial's archive; its checksum could not be pinned from this project's offline machines
# (see README), so `fetch` reports the digest it got instead of comparing it.
FULL_DATA = ("data.zip", ("https://download.pytorch.org/tutorial/",), None)

_PUNCTUATION = re.compile(r"([.!?,;:¿¡\"«»()])")


def tokenize(text: str) -> list[str]:
    """Lower-case; split punctuation off words; keep apostrophes inside words ("i'm", "j'ai")."""
    text = text.lower().replace("\u202f", " ").replace("\xa0", " ").replace("’", "'")
    return _PUNCTUATION.sub(r" \1 ", text).split()


@dataclass(frozen=True)
class Vocab:
    itos: tuple[str, ...]

    @functools.cached_property
    def stoi(self) -> dict[str, int]:
        return {word: index for index, word in enumerate(self.itos)}

    @classmethod
    def build(cls, sentences: Sequence[Sequence[str]], min_count: int = MIN_COUNT) -> Vocab:
        counts = Counter(word for sentence in sentences for word in sentence)
        words = sorted((w for w in counts if counts[w] >= min_count), key=lambda w: (-counts[w], w))
        return cls(SPECIALS + tuple(words))

    def encode(self, tokens: Sequence[str]) -> list[int]:
        """Token ids ending in <eos>; unknown words map to <unk>."""
        return [self.stoi.get(t, UNK) for t in tokens[: MAX_LEN - 1]] + [EOS]

    def decode(self, ids: Sequence[int]) -> list[str]:
        words = []
        for i in ids:
            if i == EOS:
                break
            if i not in (PAD, SOS):
                words.append(self.itos[i])
        return words

    def __len__(self) -> int:
        return len(self.itos)


@dataclass(frozen=True)
class Corpus:
    train: list[tuple[list[str], list[str]]]  # (english tokens, french tokens)
    val: list[tuple[list[str], list[str]]]
    english: Vocab  # built from the training split only
    french: Vocab


def _pairs_from_lines(lines: list[str]) -> list[tuple[list[str], list[str]]]:
    pairs = []
    for line in lines:
        columns = line.split("\t")
        if len(columns) >= 2:
            english, french = tokenize(columns[0]), tokenize(columns[1])
            if len(english) < MAX_LEN and len(french) < MAX_LEN:
                pairs.append((english, french))
    return pairs


def _read_lines(source: str) -> list[str]:
    if source == "embedded":
        return resources.files("pairs.data").joinpath("eng-fra-5k.txt").read_text(encoding="utf-8").splitlines()
    if source == "full":
        name, mirrors, md5 = FULL_DATA
        with zipfile.ZipFile(fetch(name, mirrors, md5)) as archive:
            return archive.read("data/eng-fra.txt").decode("utf-8").splitlines()
    raise ValueError(f"unknown translation source {source!r}; choose from embedded, full")


@functools.cache
def load(source: str = "embedded") -> Corpus:
    pairs = _pairs_from_lines(_read_lines(source))
    order = np.random.default_rng(SPLIT_SEED).permutation(len(pairs))
    val = [pairs[i] for i in order[:VAL_SIZE]]
    train = [pairs[i] for i in order[VAL_SIZE:]]
    return Corpus(train, val, Vocab.build([e for e, _ in train]), Vocab.build([f for _, f in train]))


def _pad(sequences: list[list[int]]) -> torch.Tensor:
    width = max(len(s) for s in sequences)
    return torch.tensor([s + [PAD] * (width - len(s)) for s in sequences], dtype=torch.int64)


def collate(batch: list[tuple[list[int], list[int]]]) -> tuple[torch.Tensor, torch.Tensor]:
    """-> source ids (B, S) and target ids (B, T), padded with <pad> to the longest in the batch."""
    sources, targets = zip(*batch)
    return _pad(list(sources)), _pad(list(targets))


def dataset(split: str, source: str = "embedded") -> list[tuple[list[int], list[int]]]:
    """One split as (English ids, French ids) pairs; batch them with `collate`."""
    corpus = load(source)
    return [(corpus.english.encode(e), corpus.french.encode(f)) for e, f in getattr(corpus, split)]


def dataloader(split: str, batch_size: int, source: str = "embedded") -> DataLoader:
    return DataLoader(dataset(split, source), batch_size=batch_size, shuffle=split == "train", collate_fn=collate)
