"""A batch loop over a generator made each epoch (T2L134): `for x, y in batches():` with `def batches(): ... yield`.

The loop calls `batches()` again every epoch; Lightning calls `iter()` on what `fit` is given once an epoch, and a
generator is used up after its first pass, so `trainer.fit(lit_model, train_dataloaders=batches())` would train one
epoch and then find no batches (seen: 4 steps where the loop made 12). The loader goes to `fit` as

    class EveryEpoch:  # added once, above the LightningModule
        def __init__(self, make): self.make = make
        def __iter__(self): yield from self.make()

    trainer.fit(lit_model, train_dataloaders=EveryEpoch(lambda: batches()))

which makes it again each epoch, as the loop did. The same for a generator expression, `zip(...)`, `map(...)`,
`filter(...)` and `iter(...)` written in the loop header. `__iter__` is a generator, so `make()` runs at the first
batch: Lightning calls `iter()` once before training to check the loader is iterable, and `zip(loader_a,
loader_b)` made then would start both DataLoaders' iterators, each drawing a seed from torch's RNG, and shift
every shuffle after it (seen: `--verify` differed from loss #0).
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import walk
from converter.names import code

CODES = {"T2L134": "a generator made in the batch loop's header -> EveryEpoch(lambda: ...), made again each epoch"}
ONE_SHOT_BUILTINS = {"zip", "map", "filter", "iter", "reversed"}
HELPER = '''class EveryEpoch:
    """What the batch loop iterated, made again each epoch (a generator is used up after one pass)."""

    def __init__(self, make):
        self.make = make

    def __iter__(self):  # a generator: nothing is made until the first batch is asked for
        yield from self.make()
'''


def one_shot(plan, loader: cst.BaseExpression) -> bool:
    """The loop header makes an iterator that a second pass would find empty."""
    if isinstance(loader, cst.GeneratorExp):
        return True
    if not (isinstance(loader, cst.Call) and isinstance(loader.func, cst.Name)):
        return False
    name = loader.func.value
    if name in ONE_SHOT_BUILTINS:
        return True
    return any(isinstance(s, cst.FunctionDef) and s.name.value == name and _yields(s) for s in plan.module.body)


def _yields(function: cst.FunctionDef) -> bool:
    return any(isinstance(n, cst.Yield) for n in walk(function.body))


def wrap(conv, loader: cst.BaseExpression) -> cst.BaseExpression:
    conv.report.add("T2L134", conv.plan.line(conv.plan.batch_loop),
                    f"`{code(loader)}` is used up after one pass: fit gets EveryEpoch(lambda: ...), made each epoch")  # fmt: skip
    return cst.parse_expression(f"EveryEpoch(lambda: {code(loader)})")


def helper() -> cst.BaseStatement:
    return cst.parse_statement(HELPER)
