"""Globals the training loop sets and the script's own functions read.

A loss function's KL weight `min(1.0, (epoch + 1) / warmup)`, a Dataset's `__getitem__` reading the
`noise_level` the epoch loop raises, a helper's `1.0 - global_step / decay_steps`: each reads the module's global
when it is called. In the LightningModule the loop's writes would go to an attribute (`self.noise_level`), to
Lightning's count (`self.global_step`, `self.current_epoch`), or nowhere, and the global would keep its value from
before fit: a clean exit, the numbers different from the first epoch or step the value changed (or a NameError
for the epoch variable). Such a name stays a global (T2L171): a hook that sets it declares it `global`, a counter is
counted there as the loop counted it, and the epoch loop's variable is set from `self.current_epoch` at each
epoch's start (a `while` loop's counter too: its `epoch += 1` is dropped, the Trainer counts). Only for a loop at module level: inside a function the loop's names are its locals, which other
functions cannot read.
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import walk
from converter.convert.edits import parse_statements
from converter.convert.rules import epoch_loop
from converter.names import code, loads, scope_writes

CODES = {"T2L171": "a global the loop sets and a function of the script reads: the hooks keep it a global"}


def shared(conv) -> frozenset[str]:
    """The names the loop at module level sets that a function of the script reads as globals (asked by several
    rules: found once, reported once)."""
    return frozenset(_readers(conv))


def enclosing(conv) -> frozenset[str]:
    """The variables of the function holding the loop that a function nested in it declares `nonlocal` (`nonlocal
    step` in a train function defined in main()): the class is defined in main() too, so the hooks read main()'s own
    variable, and a hook that sets it declares it `nonlocal` (attributes.py)."""
    plan = conv.plan
    scope = plan.site_scope
    if not isinstance(scope, cst.FunctionDef):
        return frozenset()
    key = ("enclosing", id(scope))
    if (found := plan.index.memo.get(key)) is None:
        declared = {item.name.value for node in plan.index.of_kind(cst.Nonlocal) if plan.index.contains(scope, node)
                    for item in node.names}  # fmt: skip
        found = plan.index.memo[key] = frozenset(declared & scope_writes(scope.body)) if declared else frozenset()
    return found  # type: ignore[return-value]


def _readers(conv) -> dict[str, tuple[str, int]]:
    """Each name, with the first function that reads it and that function's line (kept on the index)."""
    plan = conv.plan
    key = ("script_globals", id(plan.site))
    if (kept := plan.index.memo.get(key)) is None:
        kept = plan.index.memo[key] = _find(plan) if isinstance(plan.site_scope, cst.Module) else {}
    return kept  # type: ignore[return-value]


def _find(plan) -> dict[str, tuple[str, int]]:
    set_by_the_loop = scope_writes(plan.site)  # with a `for` loop's own variables, a `while` loop's counter
    found: dict[str, tuple[str, int]] = {}
    for function in plan.index.of_kind(cst.FunctionDef):
        if function is plan.scope or plan.index.contains(function, plan.site):
            continue  # the code the hooks are made of: its names are renamed with the loop's
        for name in sorted(_global_reads(function) & set_by_the_loop):
            found.setdefault(name, (function.name.value, plan.line(function)))
    return found


def report(conv) -> None:
    """One finding per name, at the function that reads it (once the loop is converted)."""
    for name, (function, line) in sorted(_readers(conv).items()):
        conv.report.add("T2L171", line, f"`{function}` reads the global `{name}` the loop sets: the hooks keep it a "
                        f"global (`global {name}`), set as the loop set it")  # fmt: skip


def _global_reads(function: cst.FunctionDef) -> set[str]:
    """Names the function reads and does not bind (its parameters, its assignments), or declares `global`."""
    params = function.params
    bound = {p.name.value for p in [*params.posonly_params, *params.params, *params.kwonly_params]}
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            bound.add(star.name.value)
    declared = {item.name.value for node in walk(function.body) if isinstance(node, cst.Global) for item in node.names}
    return loads(function.body) - (scope_writes(function.body) - declared) - bound


def at_epoch_start(conv) -> list[cst.BaseStatement]:
    """`epoch = self.current_epoch` for on_train_epoch_start, where a function reads the epoch variable."""
    if not (conv.epoch.variable and conv.epoch.name in shared(conv)):
        return []
    expression = code(epoch_loop.epoch_expression(conv.epoch.variable[1]))
    return parse_statements(f"{conv.epoch.name} = {expression}  # read as a global by the script's functions\n")

