"""`for idx, epoch in enumerate(range(a, b)):` -> a loop over the range, the index computed from its value (T2L175).

    for idx, epoch in enumerate(range(1, n + 1)):        for epoch in range(1, n + 1):
        train(...)                               ->          idx = epoch - 1
        if idx - best_epoch > patience: break                train(...)
                                                             if idx - best_epoch > patience: break

The enumeration's index of a range with no step is the range's value less its start (plus enumerate's own start):
one loop variable, which the rules map to the Trainer's epoch, and a name computed from it at each pass's start.
Read as a pair, neither was an epoch count the rules knew (`max_epochs=-1` and `idx`, `epoch` left undefined in the
hooks, the translation example's shape). Both names hold what they held at every point of the loop: the index is
set before the body runs, from the value the range gave. Only a header on one line, a body on the lines below it,
and a range of one or two arguments.
"""

from __future__ import annotations

import ast
import re

from converter.convert.normalize import BEFORE_PLANNING, Normalized, Text, line_edits, python_tree

CODES = {"T2L175": "`for i, x in enumerate(range(a, b)):` -> `for x in range(a, b):` with `i = x - a` at its start"}
RUNS_ON = BEFORE_PLANNING

_CANDIDATE = re.compile(r"\bin[ \t]+enumerate\([ \t]*range\(")  # a cheap test before any parse


def normalize(text: Text) -> Normalized | None:
    if not _CANDIDATE.search(text.source) or (tree := python_tree(text.source)) is None:
        return None
    lines = text.source.splitlines(keepends=True)
    edits: dict[int, list[str]] = {}
    for loop in ast.walk(tree):
        if isinstance(loop, ast.For) and (found := _enumerated_range(loop, lines)) is not None:
            edits[loop.lineno] = found
    if not edits:
        return None
    source, original_line = line_edits(lines, edits)
    first = min(edits)
    more = f" (and {len(edits) - 1} more)" if len(edits) > 1 else ""
    message = (f"`{lines[first - 1].strip()}`{more} -> a loop over the range, `{edits[first][1].strip()}` at its "
               "start: one loop variable, the count the rules map")  # fmt: skip
    return Normalized(source, original_line, "T2L175", first, message)


def _enumerated_range(loop: ast.For, lines: list[str]) -> list[str] | None:
    """The header's line rewritten and the index's assignment below it, or None where the shape is not sure."""
    target, call = loop.target, loop.iter
    if not (isinstance(target, ast.Tuple) and len(target.elts) == 2 and all(isinstance(e, ast.Name) for e in target.elts)):
        return None
    index, value = (e.id for e in target.elts)  # type: ignore[attr-defined]
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "enumerate"):
        return None
    counted = _enumerate_start(call)
    if counted is None or not call.args or index == value:
        return None
    numbers = call.args[0]
    if not (isinstance(numbers, ast.Call) and isinstance(numbers.func, ast.Name) and numbers.func.id == "range"
            and 1 <= len(numbers.args) <= 2 and not numbers.keywords):  # fmt: skip
        return None  # a step would divide the difference
    body_line = loop.body[0].lineno
    if loop.lineno != call.end_lineno or body_line == loop.lineno or loop.end_lineno is None:
        return None
    header = lines[loop.lineno - 1].encode()  # ast's columns count UTF-8 bytes
    first = lines[body_line - 1]
    indent = first[: len(first) - len(first.lstrip())]
    range_source = header[numbers.col_offset : numbers.end_col_offset].decode()
    start = ast.unparse(numbers.args[0]) if len(numbers.args) == 2 else None
    rewritten = header[: target.col_offset].decode() + f"{value} in {range_source}" + header[call.end_col_offset :].decode()
    return [rewritten, f"{indent}{index} = {_difference(value, start, counted)}\n"]


def _enumerate_start(call: ast.Call) -> str | None:
    """enumerate's start as source ("0" without one), None for a shape not read here."""
    if len(call.args) == 2 and not call.keywords:
        return ast.unparse(call.args[1])
    if len(call.args) == 1 and not call.keywords:
        return "0"
    if len(call.args) == 1 and len(call.keywords) == 1 and call.keywords[0].arg == "start":
        return ast.unparse(call.keywords[0].value)
    return None


def _difference(value: str, start: str | None, counted: str) -> str:
    """`value - start + counted`, constants folded (`epoch - 1`, `epoch`, `step - (lo) + 1`)."""
    start = start or "0"
    if start.lstrip("-").isdigit() and counted.lstrip("-").isdigit():
        offset = int(counted) - int(start)
        return value if offset == 0 else f"{value} + {offset}" if offset > 0 else f"{value} - {-offset}"
    subtracted = "" if start == "0" else f" - {start}" if start.isidentifier() or start.isdigit() else f" - ({start})"
    added = "" if counted == "0" else f" + {counted}" if counted.isidentifier() or counted.isdigit() else f" + ({counted})"
    return value + subtracted + added
