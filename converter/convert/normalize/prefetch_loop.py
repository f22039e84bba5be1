"""A `while` loop over a prefetcher (NVIDIA apex's ImageNet example and the repositories built on it) -> a `for`
over a small iterable class that runs the same fetches (T2L164), then converted like any loop over a loader.

    prefetcher = data_prefetcher(train_loader)         class PrefetchedBatches:
    input, target = prefetcher.next()                      def __init__(self, train_loader):
    i = 0                                                      self.train_loader = train_loader
    while input is not None:                   ->
        i += 1                                             def __iter__(self):
        loss = criterion(model(input), target)                 prefetcher = data_prefetcher(self.train_loader)
        ...                                                    input, target = prefetcher.next()
        input, target = prefetcher.next()                      while input is not None:
                                                                   yield input, target
                                                                   input, target = prefetcher.next()
                                                   ...
                                                   i = 0
                                                   for input, target in PrefetchedBatches(train_loader):
                                                       i += 1
                                                       ...

The class builds its prefetcher each time it is iterated (Lightning iterates the train loader once per epoch, as
the script built one per call), and hands out the batches the prefetcher did, in order. Only where that is sure:
the prefetcher built in the loop's block, the first fetch after it and the same fetch as the loop's last
statement, the loop's test `<first name fetched> is not None`, nothing between that reads what the fetch binds or
the prefetcher, no other use of either in the loop (nor a `continue` of it, which would skip the fetch), no `else:`,
and neither read after the loop (the `while` leaves them None).
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import apply_edits
from converter.convert.edits import block_of, sole_assignment
from converter.convert.inline import param_names
from converter.convert.loops import exits_the_loop
from converter.convert.normalize import Normalized, Text
from converter.convert.normalize.phase_function import compiles
from converter.names import BUILTINS, bound_names, code, loads, reads, rename, writes
from converter.report import line_map

CODES = {"T2L164": "a `while batch is not None:` loop over a prefetcher (`input, target = prefetcher.next()` before it "
                   "and as its last statement) -> `for input, target in PrefetchedBatches(...)`, then converted"}  # fmt: skip
RUNS_ON = {"T2L910"}  # step_loops declines a `while` that fetches its batches by hand
CLASS_NAME = "PrefetchedBatches"


def normalize(text: Text) -> Normalized | None:
    if CLASS_NAME in text.source:
        return None  # (the name is taken)
    for loop in text.index.of_kind(cst.While):
        found = _prefetch(text, loop)
        if found is not None:
            return _rewritten(text, loop, *found)
    return None


def _prefetch(text: Text, loop: cst.While) -> tuple[cst.SimpleStatementLine, cst.SimpleStatementLine] | None:
    """(the prefetcher's construction, the first fetch) when the loop can become a `for` over the class."""
    test = loop.test
    if loop.orelse is not None or not isinstance(loop.body, cst.IndentedBlock) or not loop.body.body:
        return None
    if not (isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and isinstance(test.left, cst.Name)
            and isinstance(test.comparisons[0].operator, cst.IsNot) and code(test.comparisons[0].comparator) == "None"):  # fmt: skip
        return None
    last = sole_assignment(loop.body.body[-1])
    if last is None or not isinstance(last.value, cst.Call):
        return None
    fetched = bound_names(last.targets[0].target)
    first_name = next(iter(_names_in_order(last.targets[0].target)), None)
    if first_name != test.left.value:
        return None
    block = block_of(text.index, loop)
    if block is None:
        return None
    position = next(i for i, s in enumerate(block) if s is loop)
    fetch = code(loop.body.body[-1].with_changes(leading_lines=[]))
    first = next((i for i in range(position - 1, -1, -1) if code(block[i].with_changes(leading_lines=[])) == fetch), None)
    if first is None:
        return None
    prefetchers = reads(last.value) - BUILTINS - fetched  # `prefetcher` of `prefetcher.next()`
    built = next((i for i in range(first - 1, -1, -1) if writes(block[i]) & prefetchers), None)
    construction = sole_assignment(block[built]) if built is not None else None
    if construction is None or not isinstance(construction.value, cst.Call):
        return None
    prefetcher = bound_names(construction.targets[0].target)
    if len(prefetcher) != 1 or not isinstance(construction.targets[0].target, cst.Name):
        return None
    watched = fetched | prefetcher
    between = [s for i, s in enumerate(block[built + 1 : position], built + 1) if i != first]
    body = list(loop.body.body[:-1])
    after = block[position + 1 :]
    if (any((reads(s) | writes(s)) & watched for s in between) or (after and loads(*after) & watched)
            or any(writes(s) & watched or reads(s) & prefetcher for s in body)):  # fmt: skip
        return None
    if exits_the_loop(loop.body, (cst.Continue,)):  # it would skip the fetch at the loop's end (a `break` ends both)
        return None
    return block[built], block[first]  # type: ignore[return-value]


def _names_in_order(target: cst.CSTNode) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for e in target.elements for n in _names_in_order(e.value)]
    return []


def _rewritten(text: Text, loop: cst.While, construction: cst.SimpleStatementLine,
               first: cst.SimpleStatementLine) -> Normalized | None:  # fmt: skip
    assign = sole_assignment(construction)
    last = loop.body.body[-1]  # type: ignore[union-attr]
    target = code(sole_assignment(last).targets[0].target)  # type: ignore[union-attr]
    parameters = sorted(reads(assign.value) & _locals(text, loop))  # type: ignore[union-attr]
    mapping = {name: cst.Attribute(cst.Name("self"), cst.Name(name)) for name in parameters}
    fetch_lines = [code(rename(s.with_changes(leading_lines=[]), mapping)) for s in (construction, first)]
    init = "".join(f"        self.{p} = {p}\n" for p in parameters) or "        pass\n"
    helper = (
        f"class {CLASS_NAME}:\n"
        f'    """The batches the `while` loop at line {text.index.line(loop)} fetched, in order (t2l: iterated once per epoch)."""\n\n'
        f"    def __init__(self{''.join(f', {p}' for p in parameters)}):\n{init}\n"
        f"    def __iter__(self):\n"
        + "".join(f"        {line}" for line in fetch_lines)
        + f"        while {code(loop.test)}:\n"
        f"            yield {target}\n"
        f"            {code(last.with_changes(leading_lines=[]))}"  # type: ignore[attr-defined]
    )
    new_loop = cst.For(
        target=cst.parse_expression(target), iter=cst.parse_expression(f"{CLASS_NAME}({', '.join(parameters)})"),
        body=loop.body.with_changes(body=loop.body.body[:-1]), leading_lines=loop.leading_lines,  # type: ignore[attr-defined]
    )  # fmt: skip
    removed = {id(construction): cst.RemovalSentinel.REMOVE, id(first): cst.RemovalSentinel.REMOVE, id(loop): new_loop}
    module = apply_edits(text.index, {}, removed)
    anchor = _first_definition(module)
    body = list(module.body)
    body.insert(anchor, cst.parse_statement(helper).with_changes(leading_lines=[cst.EmptyLine(indent=False)] * 2))
    source = module.with_changes(body=body).code
    if not compiles(source):
        return None
    message = f"`while {code(loop.test)}:` over `{code(assign.value)}` -> `for {target} in {CLASS_NAME}(...)`: the same batches, in order"  # type: ignore[union-attr]
    return Normalized(source, line_map(text.source.splitlines(), source.splitlines()), "T2L164", text.index.line(loop), message)


def _locals(text: Text, loop: cst.While) -> set[str]:
    """The names local to the function the loop is in (its parameters and what it binds): the class is given
    their values; the rest it reads where it is, at module level. None at module level."""
    function = next((a for a in reversed(text.index.ancestors(loop)) if isinstance(a, cst.FunctionDef)), None)
    if function is None:
        return set()
    return set(param_names(function)) | writes(function.body)


def _first_definition(module: cst.Module) -> int:
    """Where the class goes: before the first function or class (after the imports and module constants)."""
    return next((i for i, s in enumerate(module.body) if isinstance(s, (cst.FunctionDef, cst.ClassDef))), len(module.body))
