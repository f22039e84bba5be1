"""A `while` epoch counter incremented before the epoch's last statements -> incremented last, those statements
reading `epoch + 1` (T2L158).

    epoch = 0                                        epoch = 0
    while epoch < n_epochs:                          while epoch < n_epochs:
        for x, y in loader: ...                          for x, y in loader: ...
        epoch += 1                           ->          print(f"epoch {epoch + 1} loss {total}")
        print(f"epoch {epoch} loss {total}")             epoch += 1

The converter makes the counter `self.current_epoch`, which counts the epochs done before this one: a statement
after the increment read it one behind (the first epoch printed as epoch 0 where the script printed 1). With the
increment last, every read sees what it saw, and the loop tests the same value. Only where that is sure: a loop
that trains in a loop inside it (an epoch loop; a step loop's counter is the step rules'), one `name += 1` in its
own body, the statements after it neither bind the name nor leave the loop (`break`, `continue`, `return`), and
no `else:`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import libcst as cst

from converter.analysis import apply_edits, walk
from converter.convert.normalize import BEFORE_PLANNING, Normalized, Text
from converter.convert.rules.epoch_loop import adds_one
from converter.names import loads, rename, writes

CODES = {"T2L158": "a `while` epoch counter incremented before the epoch's last statements -> incremented last"}
RUNS_ON = BEFORE_PLANNING

_EMPTY = cst.Module(body=[])  # renders a statement as the source has it
_CANDIDATE = re.compile(r"^[ \t]*while\b.*<", re.MULTILINE)  # a cheap test before any walk of the tree


def normalize(text: Text) -> Normalized | None:
    if not _CANDIDATE.search(text.source):
        return None
    for loop in text.index.of_kind(cst.While):
        found = _increment_before_reads(loop)
        if found is None:
            continue
        counter, position = found
        body = list(loop.body.body)  # type: ignore[union-attr]
        counted = cst.parse_expression(f"{counter} + 1")
        later = [rename(statement, {counter: counted}) for statement in body[position + 1 :]]
        rewritten = loop.with_changes(body=loop.body.with_changes(body=[*body[:position], *later, body[position]]))
        source = apply_edits(text.index, {id(loop): [lambda _updated, new=rewritten: new]}).code
        line = text.index.line(body[position])
        message = f"`{counter} += 1` at line {line} moved after the epoch's last statement, which read `{counter} + 1`"
        return Normalized(source, _moved_lines(line, len(body[position].leading_lines), later), "T2L158", line, message)
    return None


def _moved_lines(line: int, leading: int, later: list[cst.BaseStatement]) -> Callable[[int], int]:
    """A line of the rewrite -> the input's: the increment (`line`, with its `leading` blank or comment lines) moved
    below the `later` statements, which moved up by as many lines."""
    start, size = line - leading, leading + 1
    block = sum(len(_EMPTY.code_for_node(statement).splitlines()) for statement in later)

    def original(new: int) -> int:
        if start <= new < start + block:
            return new + size
        if start + block <= new < start + block + size:
            return new - block
        return new

    return original


def _increment_before_reads(loop: cst.While) -> tuple[str, int] | None:
    """(counter, the increment's position in the body) of `while <counter> < ...:` whose body adds 1 to the counter
    once, before statements that read it; None when moving the increment last is not sure."""
    test = loop.test
    if not (isinstance(test, cst.Comparison) and isinstance(test.left, cst.Name) and len(test.comparisons) == 1
            and isinstance(test.comparisons[0].operator, (cst.LessThan, cst.LessThanEqual))):  # fmt: skip
        return None
    if loop.orelse is not None or not isinstance(loop.body, cst.IndentedBlock):
        return None
    if not _trains_in_a_loop_inside(loop):
        return None  # a step loop (`while it < max_iters:`): its counter counts steps, which this does not move
    counter, body = test.left.value, list(loop.body.body)
    increments = [i for i, s in enumerate(body) if adds_one(s, counter)]
    if len(increments) != 1 or increments[0] == len(body) - 1:
        return None
    later = body[increments[0] + 1 :]
    if not loads(*later) & {counter} or writes(*later) & {counter}:
        return None
    if any(isinstance(n, (cst.Break, cst.Continue, cst.Return)) for statement in later for n in walk(statement)):
        return None
    top = {id(statement) for statement in body}
    if any(adds_one(n, counter) for statement in body for n in walk(statement) if id(n) not in top):
        return None  # also counted inside a block: not an epoch counter
    return counter, increments[0]


def _trains_in_a_loop_inside(loop: cst.While) -> bool:
    """Every backward() of the loop is in a loop inside it (the batch loop): the loop counts epochs."""
    def backward(node: cst.CSTNode) -> bool:
        return isinstance(node, cst.Attribute) and node.attr.value == "backward"

    inner = [n for n in walk(loop.body) if isinstance(n, (cst.For, cst.While))]
    inside = {id(m) for n in inner for m in walk(n)}
    calls = [n for n in walk(loop.body) if backward(n)]
    return bool(calls) and all(id(n) in inside for n in calls)
