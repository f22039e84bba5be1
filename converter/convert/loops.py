"""Reading loops: their batch index, what they iterate over, the names they total or count."""

from __future__ import annotations

import libcst as cst

from converter.analysis import Index, children, walk
from converter.convert.edits import parse_statements
from converter.names import Imports, bound_names, code, dotted, method_call, reads, rename, writes

TQDM = ("tqdm.tqdm", "tqdm.auto.tqdm", "tqdm.notebook.tqdm", "tqdm")


def batch_index(loop) -> str | None:
    """`for i, batch in enumerate(loader)` -> "i": the name that is Lightning's batch_idx. None when the count
    starts elsewhere (`enumerate(loader, 1)`): that name is then `batch_idx + 1`, made by `batch_params`."""
    counted = enumerated(loop.iter) if isinstance(loop, cst.For) else None
    if counted is not None and isinstance(loop.target, cst.Tuple):
        first = loop.target.elements[0].value
        return first.value if isinstance(first, cst.Name) and enumerate_start(counted) is None else None
    return None


def enumerated(iterated: cst.BaseExpression) -> cst.Call | None:
    """The `enumerate(...)` a loop header iterates, also inside a progress bar: `tqdm(enumerate(loader), total=n)`
    yields enumerate's pairs as they are (the bar's name read as written: these helpers have no imports)."""
    if is_enumerate(iterated):
        return iterated  # type: ignore[return-value]
    if isinstance(iterated, cst.Call) and dotted(iterated.func) in TQDM and iterated.args and is_enumerate(iterated.args[0].value):
        return iterated.args[0].value  # type: ignore[return-value]
    return None


def enumerate_start(node: cst.BaseExpression) -> cst.BaseExpression | None:
    """`enumerate(loader, 1)` / `enumerate(loader, start=1)` -> `1`; None when the count starts at 0."""
    if not is_enumerate(node):
        return None
    args = node.args  # type: ignore[attr-defined]
    start = next((a.value for a in args[1:] if a.keyword is None or a.keyword.value == "start"), None)
    return None if start is None or (isinstance(start, cst.Integer) and start.evaluated_value == 0) else start


def is_enumerate(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Call) and dotted(node.func) == "enumerate"


def unwrap_enumerate(node: cst.BaseExpression) -> cst.BaseExpression:
    return node.args[0].value if is_enumerate(node) else node  # type: ignore[union-attr]


def unwrap_tqdm(node: cst.BaseExpression, imports: Imports) -> cst.BaseExpression:
    """`tqdm(loader)` -> `loader`; `trange(n)` -> `range(n)` (`trange(n, desc="Epoch")`: the bar's keywords are not
    the range's)."""
    name = imports.call_name(node)
    if name in TQDM and node.args:  # type: ignore[union-attr]
        return node.args[0].value  # type: ignore[union-attr]
    if name == "tqdm.trange" and node.args:  # type: ignore[union-attr]
        positional = [a for a in node.args if a.keyword is None and not a.star]  # type: ignore[union-attr]
        return cst.Call(cst.Name("range"), [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in positional])
    return node


def exits_the_loop(body: cst.CSTNode, exits: tuple[type, ...] = (cst.Break, cst.Continue)) -> bool:
    """A `break` or `continue` (of `exits`) of the loop whose body this is, not of a loop or function inside it."""
    stack = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, exits):
            return True
        if not isinstance(node, (cst.For, cst.While, cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            stack.extend(children(node))
    return False


def batch_params(loop, batch_idx: str | None) -> tuple[list[str], list[cst.BaseStatement]]:
    """The hook's parameters for the loop's target, and the statement that unpacks a tuple target."""
    target, counter = loop.target, enumerated(loop.iter)
    if counter is not None and isinstance(target, cst.Tuple) and len(target.elements) == 2:
        target = target.elements[1].value
    taken = reads(loop.body) | writes(loop.body) | bound_names(loop.target)  # `for batch_idx in range(n)`
    index = batch_idx or next(n for n in ("batch_idx", "batch_index", "index_of_batch") if n not in taken)
    counted: list[cst.BaseStatement] = []
    start = enumerate_start(counter) if counter is not None else None
    first = loop.target.elements[0].value if start is not None and isinstance(loop.target, cst.Tuple) else None
    if isinstance(first, cst.Name):  # `for i, batch in enumerate(loader, 1)`: i counts from 1, batch_idx from 0
        counted = parse_statements(f"{first.value} = {index} + {code(start)}\n")
    if isinstance(target, cst.Name):
        return [target.value, index], counted
    text = code(target.with_changes(lpar=[], rpar=[]) if isinstance(target, cst.Tuple) else target)
    name = next(n for n in ("batch", "batch_data", "minibatch") if n not in taken | {index})
    return [name, index], [*counted, *parse_statements(f"{text} = {name}\n")]


def phase_loader(loader: cst.BaseExpression, phase: str, value: str) -> cst.BaseExpression:
    """`loaders[phase]` in a `for phase in ["train", "val"]` loop -> `loaders["val"]`."""
    return rename(loader, {phase: cst.SimpleString(f'"{value}"')})


def _incremented(index: Index, loop, scope, called_each_epoch: bool = False) -> tuple[set[str], set[str]]:
    """Names assigned in the scope outside the loop and incremented inside it: (`+= x` totals, `+= 1` counters). A
    counter counts optimizer steps as self.global_step does: it starts at 0, is not reset by an outer loop, and is
    incremented on every batch (in the loop's own body) or beside the optimizer step (`if (i + 1) % K == 0:
    optimizer.step(); step += 1`). Another `+= 1` (from 1, under a condition) is state like any other."""
    before: set[str] = set()
    per_epoch: set[str] = set()
    starts: dict[str, list[cst.BaseExpression | None]] = {}
    outer = [a for a in index.ancestors(loop) if isinstance(a, (cst.For, cst.While))] if id(loop) in index.by_id else []
    for node in index.of_kind((cst.Assign, cst.AnnAssign)):
        if index.contains(scope, node) and not index.contains(loop, node):
            targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
            names = set().union(*(bound_names(target) for target in targets))
            before |= names
            for target in targets:
                for name, value in _values_of(target, node.value):
                    starts.setdefault(name, []).append(value)
            if called_each_epoch or any(index.contains(o, node) for o in outer):
                per_epoch |= names
    totals, counters = set(), set()
    for node in walk(loop.body):
        if isinstance(node, cst.AugAssign):
            name = dotted(node.target)
            if name is None or name not in before:
                continue
            from_zero = all(isinstance(v, cst.Integer) and v.value == "0" for v in starts.get(name, [None]))
            if isinstance(node.value, cst.Integer) and node.value.value == "1" and name not in per_epoch and from_zero and _every_step(index, loop, node):
                counters.add(name)
            elif isinstance(node.operator, cst.AddAssign):
                totals.add(name)
    return totals, counters


def _values_of(target: cst.BaseExpression, value: cst.BaseExpression | None) -> list[tuple[str, cst.BaseExpression | None]]:
    """(name, the value it is given) for each name a target binds (`a, b = 0, 0.0` pairs them; else None)."""
    if isinstance(target, cst.Name):
        return [(target.value, value)]
    if (isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple) and len(target.elements) == len(value.elements)
            and not any(isinstance(e, cst.StarredElement) for e in (*target.elements, *value.elements))):  # fmt: skip
        return [pair for t, v in zip(target.elements, value.elements) for pair in _values_of(t.value, v.value)]
    return [(name, None) for name in bound_names(target)]


def _every_step(index: Index, loop, increment: cst.AugAssign) -> bool:
    """The increment runs once per optimizer step: a statement of the loop's own body, or of the block that steps
    the optimizer (a `.step()` call among that block's statements). Unknown without the index: as before, yes."""
    if id(loop) not in index.by_id:
        return True
    line = index.parent(increment)
    block = index.parent(line) if line is not None else None
    if block is loop.body:
        return True
    statements = block.body if isinstance(block, cst.IndentedBlock) else []
    return any(method_call(n, "step") for s in statements if isinstance(s, cst.SimpleStatementLine) for n in walk(s))


def accumulators(index: Index, loop, scope, steps_per_batch: int | None = 1,
                 called_each_epoch: bool = False) -> tuple[set[str], set[str]]:  # fmt: skip
    """Names assigned in the scope outside the loop, then incremented inside it: (running totals, counters). A
    counter reset in the epoch loop counts the batches of one epoch, not global steps: it is no counter here. Nor is
    one where a batch takes other than one optimizer step (`epoch_loop.steps_per_batch`: several optimizers under
    manual optimization, None where it varies): Lightning's global_step counts each of their steps (a WGAN's critic
    and generator steps: 32 where the loop counted 24 batches): it is state the hooks keep. Nor is one a function
    called each epoch sets (`called_each_epoch`: the Annotated Transformer's `n_accum = 0` in run_epoch)."""
    totals, counters = _incremented(index, loop, scope, called_each_epoch)
    if steps_per_batch != 1:
        counters = set()
    return totals - _read_in(loop.body, totals), counters


def totals_the_loop_reads(index: Index, loop, scope) -> set[str]:
    """Running totals the loop also reads (`progress(i, total_loss / (i + 1))` each batch): left out of
    `accumulators` (no epoch sum Lightning resets by itself can stand for them), they are state the hooks keep."""
    totals, _ = _incremented(index, loop, scope)
    return _read_in(loop.body, totals)


def _read_in(body: cst.CSTNode, names: set[str]) -> set[str]:
    """Names read in the body other than by their own `+=`, a reset or a print: a total the loop reads
    (`losses.append(total / n)` every n steps) is state the hooks must keep, not an epoch sum Lightning resets by
    itself. A print of it goes (progress_bars), so it keeps the total an epoch sum."""
    if not names:
        return set()
    skipped: set[int] = set()
    for node in walk(body):
        if isinstance(node, cst.AugAssign):
            skipped.add(id(node.target))
        elif isinstance(node, cst.Assign):
            skipped.update(id(t.target) for t in node.targets)
        elif isinstance(node, cst.Call) and dotted(node.func) == "print":
            skipped.update(id(n) for n in walk(node))
    return {n.value for n in walk(body) if isinstance(n, cst.Name) and n.value in names and id(n) not in skipped}


def module_level_bindings(module: cst.Module) -> dict[str, set[str]]:
    """Names bound at module level: definitions (functions, classes, imports) and variables."""
    definitions, variables = set(), set()
    for stmt in module.body:
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            definitions.add(stmt.name.value)
        elif isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                target = definitions if isinstance(small, (cst.Import, cst.ImportFrom)) else variables
                target.update(writes(small))
        elif isinstance(stmt, (cst.If, cst.Try, cst.With, cst.For, cst.While)):
            _definitions_in(stmt.body.body, definitions)
            variables.update(writes(stmt) - definitions)
    return {"definitions": definitions, "variables": variables - definitions}


def _definitions_in(body, definitions: set[str]) -> None:
    """Defs and imports nested in module-level if/try/with/loops."""
    for stmt in body:
        if isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            definitions.add(stmt.name.value)
        elif isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, (cst.Import, cst.ImportFrom)):
                    definitions.update(writes(small))
        elif isinstance(stmt, (cst.If, cst.Try, cst.With, cst.For, cst.While)):
            _definitions_in(stmt.body.body, definitions)
