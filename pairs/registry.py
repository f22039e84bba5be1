"""The pairs this toolkit ships: one entry each, imported lazily (Lightning takes seconds to import)."""

from __future__ import annotations

import difflib
import importlib
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

SIDES = ("plain", "lightning")


@dataclass(frozen=True)
class Pair:
    name: str
    summary: str
    defaults: dict[str, Any] = field(default_factory=dict)  # RunConfig overrides for this pair

    def module(self, part: str) -> ModuleType:
        """`part` is "plain", "lightning" or "model" (the code both sides share)."""
        return importlib.import_module(f"pairs.{self.name}.{part}")

    def source(self, side: str) -> Path:
        return Path(__file__).parent / self.name / f"{side}.py"


PAIRS: dict[str, Pair] = {
    pair.name: pair
    for pair in [
        Pair("mnist_mlp", "MLP classifier on MNIST digits: the easy case, one optimizer, automatic loop"),
        Pair(
            "seq2seq",
            "GRU encoder-decoder with attention, English -> French: a time-step loop, clipping, LR schedule",
            {"epochs": 6},
        ),
        Pair("gan", "GAN on MNIST digits: two optimizers in one step, manual optimization", {"epochs": 15}),
    ]
}


class UnknownPair(KeyError):
    def __str__(self) -> str:
        return self.args[0]


def get(name: str) -> Pair:
    if name in PAIRS:
        return PAIRS[name]
    close = difflib.get_close_matches(name, PAIRS, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise UnknownPair(f"unknown pair {name!r}{hint}; available: {', '.join(PAIRS)}")
