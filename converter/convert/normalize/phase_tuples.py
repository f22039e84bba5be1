"""A loop over the phases, each a tuple of its values -> the body once per phase, in order (T2L156), then converted as
a training followed by an evaluation.

    for phase, loader, is_train in [("train", train_loader, True),      model.train(True)
                                    ("val", val_loader, False)]:        ...
        model.train(is_train)                                           for x, y in train_loader:
        with torch.set_grad_enabled(is_train):                   ->         ...step...
            for x, y in loader:                                         print(f"train loss {total / n}")
                ...                                                     model.eval()
                if is_train: ...step...                                 with torch.no_grad():
        print(f"{phase} loss {total / n}")                                  for x, y in val_loader: ...
                                                                        print(f"val loss {total / n}")

Each copy is the body with that tuple's values put in for the loop's names, and what they decided chosen (as the
phase_function normalizer does): the same statements run in the same order. Only where that is sure: names
unpacked from a list of tuples of plain values (strings, numbers, True/False, names), no `break`/`continue` of
this loop, no `else:`, and the loop's names not read after it.
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import apply_edits, walk
from converter.convert.loops import exits_the_loop
from converter.convert.normalize import Normalized, Text
from converter.convert.normalize.phase_function import Fold, compiles
from converter.names import code, dotted, reads
from converter.report import line_map

CODES = {"T2L156": "a loop over the phases' tuples (`for phase, loader, is_train in [...]`) -> its body once per phase"}
RUNS_ON = {"T2L921"}  # plan declines a loop that picks the data set the inner loop trains on


def normalize(text: Text) -> Normalized | None:
    for loop in text.index.of_kind(cst.For):
        phases = _phases(text, loop)
        if phases is not None:
            names = [element.value.value for element in loop.target.elements]  # type: ignore[attr-defined]
            message = f"`for {code(loop.target)} in ...` over {len(phases)} phases -> its body once per phase, in order"
            return unrolled(text, loop, [dict(zip(names, values)) for values in phases], "T2L156", message)
    return None


def unrolled(text: Text, loop: cst.For, phases: list[dict[str, cst.BaseExpression]], code_: str,
             message: str) -> Normalized | None:  # fmt: skip
    """The loop replaced by its body once per phase, each phase's values put in for its names and what they
    decided chosen (Fold). None when nothing is left or the result does not compile."""
    body: list[cst.BaseStatement] = []
    for values in phases:
        fold = Fold(values)
        for statement in loop.body.body:  # type: ignore[union-attr]
            folded = statement.visit(fold)  # a statement, several (an `if True:` opened), or none
            if isinstance(folded, cst.FlattenSentinel):
                body += folded.nodes
            elif not isinstance(folded, cst.RemovalSentinel):
                body.append(folded)
    if not body:
        return None
    body[0] = body[0].with_changes(leading_lines=loop.leading_lines)
    source = apply_edits(text.index, {id(loop): [lambda _updated, new=body: cst.FlattenSentinel(new)]}).code
    if not compiles(source):
        return None
    return Normalized(source, line_map(text.source.splitlines(), source.splitlines()), code_, text.index.line(loop), message)


def _phases(text: Text, loop: cst.For) -> list[list[cst.BaseExpression]] | None:
    """The values of each pass, when the loop unpacks plain values from a list of tuples and can be unrolled."""
    target, iterated = loop.target, loop.iter
    if not (isinstance(target, cst.Tuple) and all(isinstance(e, cst.Element) and isinstance(e.value, cst.Name) for e in target.elements)):
        return None
    if not isinstance(iterated, (cst.List, cst.Tuple)) or len(iterated.elements) < 2 or loop.orelse is not None:
        return None
    phases = []
    for element in iterated.elements:
        row = element.value
        if not (isinstance(element, cst.Element) and isinstance(row, cst.Tuple) and len(row.elements) == len(target.elements)):
            return None
        values = [e.value for e in row.elements]
        if not all(isinstance(e, cst.Element) and _plain(e.value) for e in row.elements):
            return None
        phases.append(values)
    names = {e.value.value for e in target.elements}  # type: ignore[attr-defined]
    return phases if can_unroll(text, loop, names) else None


def can_unroll(text: Text, loop: cst.For, names: set[str]) -> bool:
    """A phase loop that trains, with no `break`/`continue` of its own, whose names nothing after it reads."""
    if not any(isinstance(n, cst.Attribute) and n.attr.value == "backward" for n in walk(loop.body)) or exits_the_loop(loop.body):
        return False
    block = text.index.parent(loop)
    statements = list(getattr(block, "body", ()))
    later = statements[statements.index(loop) + 1 :] if loop in statements else []
    return not (later and names & reads(*later))


def _plain(value: cst.BaseExpression) -> bool:
    return isinstance(value, (cst.SimpleString, cst.Integer, cst.Float)) or dotted(value) is not None


