"""`loader = fabric.setup_dataloaders(loader)` right after a DataLoader is built: batches arrive on fabric.device
(and, under DDP, each process reads its own shard); `train, val = DataLoader(...), DataLoader(...)` likewise. A
function that returns its loaders (`return DataLoader(...), DataLoader(...)`) returns them set up
(`fabric.setup_dataloaders` hands several back as a list, which unpacks as the tuple did). Where the Fabric object
does not exist yet, the loader is left as it is, with the script's own `.to(device)` calls: still right on one
device.

Loaders started together (zipped in a loop header, `for a, b in zip(labeled, unlabeled):` or `zip(labeled,
cycle(aux))`, several `iter()` calls in one scope, DANN's `iter(source), iter(target)` read with `next()`, or one
`iter()` beside a loader a loop iterates, FixMatch's `unlabeled_iter = iter(unlabeled)` read inside `for x, y in
labeled:`) stay bare, with the script's own `.to(device)` calls (T2L325): a set-up loader starts its DataLoader
iterator at its first batch, not when `zip` or `iter()` is called, so two shuffled loaders would draw their seeds
from torch's RNG in another order and shuffle differently than the script (`--verify` differed from loss #0)."""

from __future__ import annotations

import libcst as cst

from converter import torch_names
from converter.analysis import walk
from converter.fabric.script import Script, setup_point
from converter.names import code

STARTED_TOGETHER = "T2L325"
CODES = {
    "T2L305": "DataLoader set up: fabric.setup_dataloaders(loader) moves its batches to fabric.device",
    STARTED_TOGETHER: "DataLoaders started together (zip, several iter() calls, an iter() beside a loop's loader) left "
                      "bare, with the script's .to(device): "
                      "set up, each would start at its first batch and draw its shuffle's seed from torch's RNG in "
                      "another order than the script",
}


def _values(value: cst.BaseExpression) -> list[cst.BaseExpression]:
    return [e.value for e in value.elements] if isinstance(value, cst.Tuple) else [value]


def _loaders(script: Script, value: cst.BaseExpression | None) -> bool:
    """A DataLoader call, or a tuple of them."""
    return value is not None and all(script.call_name(v) in torch_names.DATALOADERS for v in _values(value))


def _set_up(script: Script, loaders: str) -> str:
    """Under processes the script started itself, each reads what it read before: no sampler of Fabric's added."""
    by_hand = script.trains_in_processes()
    return f"{script.name}.setup_dataloaders({loaders}{', use_distributed_sampler=False' if by_hand else ''})"


def apply(script: Script) -> None:
    if script.trains_in_processes() and script.calls(torch_names.DISTRIBUTED_SAMPLERS):
        # Fabric's loader sets its DistributedSampler's epoch to the number of times it was iterated, over the
        # script's own set_epoch (a resumed epoch, a first batch read to print its size): the loaders stay bare.
        return
    built = []
    for assign in script.index.of_kind(cst.Assign):
        target = assign.targets[0].target if len(assign.targets) == 1 else None
        names = _values(target) if target is not None else []
        if (not names or not _loaders(script, assign.value) or len(_values(assign.value)) != len(names)
                or not all(isinstance(n, (cst.Name, cst.Attribute)) for n in names)):  # fmt: skip
            continue
        built.append((assign, [code(n) for n in names]))
    together = _started_together(script, {name for _, names in built for name in names})
    for assign, names in built:
        statement, loaders = script.statement(assign), ", ".join(names)
        if set(names) & together:
            script.report.add(STARTED_TOGETHER, script.line(statement))
        elif (point := setup_point(script, statement)) is not None:  # after the Fabric lines, if built before them
            line = f"{loaders} = {_set_up(script, loaders)}"
            script.insert_after(point, line) if point is statement else script.after_fabric.append(line)
            script.loader_setups.update((n, point) for n in names)
            script.report.add("T2L305", script.line(statement))
            script.uses_fabric(statement)
    for returned in script.index.of_kind(cst.Return):
        if _loaders(script, returned.value) and script.fabric_reachable(returned):
            script.replace(returned.value, lambda updated: cst.parse_expression(
                _set_up(script, ", ".join(code(v) for v in _values(updated)))))
            script.report.add("T2L305", script.line(returned))
            script.uses_fabric(returned)


def _names(expression: cst.BaseExpression) -> set[str]:
    return {code(n) for n in walk(expression) if isinstance(n, (cst.Name, cst.Attribute))}


def _started_together(script: Script, loaders: set[str]) -> set[str]:
    """Loaders zipped in a loop header, or given to iter() with another loader in one scope."""
    together: set[str] = set()
    for loop in script.index.of_kind(cst.For):
        for zipped in (c for c in walk(loop.iter) if isinstance(c, cst.Call) and script.call_name(c) == "zip"):
            # each argument's loader, inside what wraps it (`cycle(aux)`, `tqdm(labeled)`): each starts with the zip
            started = [_names(a.value) & loaders for a in zipped.args]
            together |= set().union(*started) if sum(bool(s) for s in started) > 1 else set()
    started: dict[int, set[str]] = {}
    for call in script.index.of_kind(cst.Call):
        if script.call_name(call) == "iter" and call.args and code(call.args[0].value) in loaders:
            started.setdefault(id(script.scope_of(call)), set()).add(code(call.args[0].value))
    by_hand = set().union(*started.values()) if started else set()
    looped = {code(loop.iter) for loop in script.index.of_kind(cst.For)} & loaders
    if by_hand and looped - by_hand:  # FixMatch: `unlabeled_iter = iter(unlabeled)` beside `for x, y in labeled:`
        together |= by_hand | looped  # the hand-started one would draw its seed at its first next(), after the other's
    return together.union(*(names for names in started.values() if len(names) > 1))
