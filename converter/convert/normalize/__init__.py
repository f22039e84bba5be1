"""Normalizers: source-level rewrites that make a training loop one the rules convert, without changing what runs.

    mode_assignment  `model = model.eval()` -> `model.eval()` (T2L154)
    zero_grad_helper `reset_grad()`, a helper that only zeroes optimizers -> its zero_grad calls (T2L167)
    type_tests       `if isinstance(updater, torch.optim.Optimizer):` the script's values answer -> its branch (T2L165)
    phase_function   a function run for both phases (`if is_train:` around the step) -> one copy each (T2L155)
    epoch_counter    a `while` epoch counter incremented before the epoch's last statements -> last (T2L158)
    enumerated_range `for i, epoch in enumerate(range(a, b)):` -> `for epoch in range(a, b):`, `i` from it (T2L175)
    trainer_class    a trainer class run by one instance -> its methods inlined where they are called (T2L135)
    model_method     a training loop in a method of the model's class -> a function of the model (T2L146)
    step_factory     `train_step = make_train_step(model, ...)` -> `def train_step(...)` there (T2L170)
    step_function    a step function called once per batch -> inlined into its loop (T2L133)
    sgd_optimizer    parameters updated by hand -> a torch.optim.SGD step (T2L131)
    counted_loop     a `while` loop counted by hand -> `for it in range(...)` (T2L137)
    micro_steps      gradients accumulated over a micro-step loop in the step loop -> one loop over micro-batches (T2L174)
    prefetch_loop    a `while batch is not None:` loop over a prefetcher -> a `for` over its batches (T2L164)
    phase_tuples     `for phase, loader, is_train in [(...), (...)]` -> the body once per phase (T2L156)
    phase_names      `for phase in ["train", "val"]:` with code after its batch loop -> the body once per phase (T2L163)

Each is one module with its `CODES`, `RUNS_ON` (the codes of the declines it answers, or `BEFORE_PLANNING`) and
`normalize(text) -> Normalized | None`: the new source and a map from each of its lines back to the line of the
text it rewrote, so that every report line still points into the file the user wrote. A normalizer never
converts: the driver runs them in the order `registry.NORMALIZERS` declares, converts each result with the same
pipeline (normalizers included, each at most once on a path), and keeps it only if that converts without
declining; otherwise the input's own result stands.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import libcst as cst

from converter.analysis import Index, python_ast
from converter.files import parse

BEFORE_PLANNING = frozenset({"before planning"})  # RUNS_ON of a normalizer tried before the loop is looked for


@dataclass
class Text:
    """A script (the input or a normalizer's output), parsed once for every reader."""

    source: str
    path: str

    @cached_property
    def module(self) -> cst.Module:
        return parse(self.source, self.path)

    @cached_property
    def index(self) -> Index:
        return Index(self.module, self.source)


def python_tree(source: str) -> ast.Module | None:
    """The stdlib's tree of the script (a tenth of a libcst parse), for the normalizers that read it; None where the
    script has syntax newer than this interpreter's (libcst reads it): the rules see the script as it is."""
    try:
        return python_ast(source)
    except SyntaxError:
        return None


def docstring(statement: ast.stmt) -> bool:
    """A bare string statement: a function's docstring."""
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) and isinstance(statement.value.value, str)


def line_edits(lines: list[str], edits: dict[int, list[str]]) -> tuple[str, Callable[[int], int]]:
    """The text with each 1-based line in `edits` replaced by its lines (none: the line goes), and the map from each
    line of that text back to the input line it came from (a normalizer's `original_line`)."""
    out: list[str] = []
    origin: list[int] = []  # origin[i]: the input line of output line i + 1
    for number, text in enumerate(lines, start=1):
        replacement = edits.get(number, [text])
        out += replacement
        origin += [number] * len(replacement)
    return "".join(out), lambda line: origin[line - 1] if 0 < line <= len(origin) else line


@dataclass(frozen=True)
class Normalized:
    source: str
    original_line: Callable[[int], int]  # a line of `source` -> the line of the text it rewrote
    code: str  # the normalizer's finding, reported when the result converts
    line: int  # where, in the text it rewrote
    message: str
