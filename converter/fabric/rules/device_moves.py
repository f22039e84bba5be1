"""`.to(device)` calls Fabric makes unnecessary, with the device the Fabric object was made from: on a model that
fabric.setup moves (`model = Net().to(device)` -> `model = Net()`, a `model.to(device)` statement dropped, when
nothing uses the model before its setup), and on the batches of a loader fabric.setup_dataloaders moves
(`x, y = x.to(device), y.to(device)` dropped, `model(x.to(device))` -> `model(x)`, for the loop's own names
that the loop body never rebinds). Anything else stays as written: a no-op once Fabric moved things."""

from __future__ import annotations

import libcst as cst

from converter.fabric.script import Script
from converter.names import bound_names, dotted, method_call, targets_of

CODES = {
    "T2L311": "model.to(device) dropped: fabric.setup moves the model to fabric.device",
    "T2L312": "batch.to(device) dropped: fabric.setup_dataloaders moved the batch to fabric.device",
}


def _move_of(node: cst.CSTNode, device: str) -> cst.BaseExpression | None:
    """`X` when node is `X.to(device)` with exactly that device (`non_blocking=` too: Fabric's copy is its own)."""
    if (method_call(node, "to") and node.args and node.args[0].keyword is None and dotted(node.args[0].value) == device
            and all(a.keyword is not None and a.keyword.value == "non_blocking" for a in node.args[1:])):  # fmt: skip
        return node.func.value
    return None


def _models(script: Script, device: str) -> None:
    for model, setup in script.model_setups.items():
        scope = script.scope_of(setup)
        for call in script.index.of_kind(cst.Call):
            inner = _move_of(call, device)
            if inner is None or script.scope_of(call) is not scope or not script.before(call, setup):
                continue
            statement = script.statement(call)
            owner = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
            used_between = [n for n in script.index.of_kind(cst.Name) if n.value == model
                            and script.before(statement, n) and script.before(n, setup)
                            and not script.index.contains(statement, n) and not script.index.contains(setup, n)]  # fmt: skip
            if used_between:
                continue
            assigned = (isinstance(owner, cst.Assign) and owner.value is call and len(owner.targets) == 1
                        and dotted(owner.targets[0].target) == model)  # fmt: skip
            if ((isinstance(owner, cst.Expr) and owner.value is call or assigned)
                    and dotted(inner) == model and script.droppable(statement)):  # fmt: skip
                script.replace(statement, lambda _updated: cst.RemovalSentinel.REMOVE)  # `model = model` says nothing
            elif assigned:
                script.replace(call, inner)
            else:
                continue
            script.report.add("T2L311", script.line(statement))


def _unwrapped(source: cst.BaseExpression) -> cst.BaseExpression:
    while isinstance(source, cst.Call) and source.args and dotted(source.func) in ("enumerate", "tqdm", "tqdm.tqdm"):
        source = source.args[0].value
    return source


def _loop_names(script: Script, loop: cst.For) -> set[str]:
    """The names a `for` over a set-up loader binds (through `enumerate(...)` / `tqdm(...)`, also a progress bar
    assigned just before: `progress = tqdm(loader)`), else nothing."""
    source = _unwrapped(loop.iter)
    if isinstance(source, cst.Name) and source.value not in script.loader_setups:
        block = list(getattr(script.index.parent(loop), "body", ()))
        before = block[block.index(loop) - 1] if loop in block[1:] else None
        assign = before.body[0] if isinstance(before, cst.SimpleStatementLine) else None
        if (isinstance(assign, cst.Assign) and len(assign.targets) == 1
                and dotted(assign.targets[0].target) == source.value):  # fmt: skip
            source = _unwrapped(assign.value)
    name = dotted(source)
    setup = script.loader_setups.get(name or "")
    if setup is None or script.scope_of(setup) is not script.scope_of(loop):
        return set()
    return bound_names(loop.target) if script.before(setup, loop) else set()


def _batches(script: Script, device: str) -> None:
    for loop in script.index.of_kind(cst.For):
        names = _loop_names(script, loop)
        if not names:
            continue
        inside = [n for n in script.index.nodes if script.index.contains(loop.body, n)]
        moves = [call for call in inside if isinstance(call, cst.Call)
                 and isinstance(moved := _move_of(call, device), cst.Name) and moved.value in names]  # fmt: skip
        dropped: set[int] = set()  # statements that only move the loop's names onto themselves: `x = x.to(d)`
        for statement in {id(script.statement(m)): script.statement(m) for m in moves}.values():
            assign = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
            if (isinstance(assign, cst.Assign) and len(assign.targets) == 1 and _only_self_moves(assign, device, names)
                    and script.droppable(statement)):  # fmt: skip
                dropped.add(id(statement))
                script.replace(statement, lambda _updated: cst.RemovalSentinel.REMOVE)
                script.report.add("T2L312", script.line(statement))
        # A name the body rebinds otherwise may hold something else by the time it is moved: that move stays.
        rebound = {name for n in inside if id(script.statement(n)) not in dropped
                   for target in targets_of(n) for name in bound_names(target)}  # fmt: skip
        for move in moves:
            if id(script.statement(move)) not in dropped and move.func.value.value not in rebound:
                script.replace(move, move.func.value)
                script.report.add("T2L312", script.line(move))


def _only_self_moves(assign: cst.Assign, device: str, names: set[str]) -> bool:
    target, value = assign.targets[0].target, assign.value
    targets = [e.value for e in target.elements] if isinstance(target, cst.Tuple) else [target]
    values = [e.value for e in value.elements] if isinstance(value, cst.Tuple) else [value]
    if len(targets) != len(values):
        return False
    for t, v in zip(targets, values):
        moved = _move_of(v, device)
        if not (isinstance(t, cst.Name) and isinstance(moved, cst.Name) and moved.value == t.value and t.value in names):
            return False
    return True


def apply(script: Script) -> None:
    device = script.creation.device if script.creation else None
    if device is None:
        return
    _models(script, device)
    _batches(script, device)
