"""The pairs this toolkit ships: every folder pairs/<name>/ with a pair.py declaration.

Adding a pair touches its folder and nothing else: model.py, plain.py, fabric.py, lightning.py (each side with a
`main(argv)` that returns the trained module) and pair.py, which declares what the harness needs (see `Pair`).
Modules are imported lazily: Lightning takes seconds to import.
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

SIDES = ("plain", "fabric", "lightning")  # the order `t2l check` and `t2l show` use
PAIRS_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Pair:
    name: str

    @cached_property
    def spec(self) -> ModuleType:
        """pairs/<name>/pair.py: SUMMARY, EPOCHS, LOSSES, OPTIMIZER_STEPS_PER_BATCH, METRIC, ARTIFACTS,
        SUMMARISE and train_batches(batch_size, data)."""
        return importlib.import_module(f"pairs.{self.name}.pair")

    @cached_property
    def summary(self) -> str:  # read without importing: `t2l list` stays instant
        source = (PAIRS_DIR / self.name / "pair.py").read_text()
        line = next(line for line in source.splitlines() if line.startswith("SUMMARY"))
        return line.split("=", 1)[1].strip().strip("\"'")

    @property
    def defaults(self) -> dict[str, Any]:
        return {"epochs": self.spec.EPOCHS}

    def module(self, side: str, source: Path | None = None) -> ModuleType:
        """One side's module; with `source`, the code in that file instead (a negative control's edited copy)."""
        if source is None:
            return importlib.import_module(f"pairs.{self.name}.{side}")
        name = f"pairs.{self.name}._{side}_from_{abs(hash(str(source)))}"
        spec = importlib.util.spec_from_file_location(name, source)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses and pickling look classes up by module name
        spec.loader.exec_module(module)
        return module

    def source(self, side: str) -> Path:
        return PAIRS_DIR / self.name / f"{side}.py"


LEARNING_ORDER = ("mnist_mlp", "seq2seq", "gan")  # the shipped pairs, easiest first; any other folder follows
PAIRS: dict[str, Pair] = {
    name: Pair(name)
    for name in sorted((p.parent.name for p in PAIRS_DIR.glob("*/pair.py")),
                       key=lambda n: (LEARNING_ORDER.index(n) if n in LEARNING_ORDER else len(LEARNING_ORDER), n))
}  # fmt: skip


class UnknownPair(KeyError):
    def __str__(self) -> str:
        return self.args[0]


def get(name: str) -> Pair:
    if name in PAIRS:
        return PAIRS[name]
    close = difflib.get_close_matches(name, PAIRS, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise UnknownPair(f"unknown pair {name!r}{hint}; available: {', '.join(PAIRS)}")
