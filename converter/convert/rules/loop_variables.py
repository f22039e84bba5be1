"""Code that depends on the training loop's variables after the loop is gone: kept and marked (T2L909).

The Trainer replaces the loop, so what it computed (the last batch's loss, a local of the train function) is
not there any more for code beside it or after it; neither is an optimizer configure_optimizers now builds.
"""

from __future__ import annotations

import libcst as cst

from converter import marks
from converter.analysis import children, walk
from converter.convert.edits import site_statements
from converter.convert.rules import zero_grad
from converter.marks import marking, renaming, todo_line
from converter.names import loads

CODES = {
    "T2L909": "code that depends on the training loop's variables",
    "T2L145": "the optimizer or scheduler read after fit -> the Trainer's (one of each: lit_model.trainer.optimizers[0], "
              "lit_model.trainer.lr_scheduler_configs[0].scheduler)",
}


def mark_moved_reads(conv, handled: set[int]) -> None:
    """Code beside the loop that still uses an optimizer or scheduler now built in configure_optimizers (a save
    after training) would meet an undefined name; `handled`: statements rewritten already (resumed_state)."""
    for stmt in site_statements(conv.plan):
        if conv.replace.get(id(stmt)) is cst.RemovalSentinel.REMOVE or isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            continue  # moved into the hook; or a definition, whose body runs when called with its own names
        if conv.configured and zero_grad.before_the_training(conv, stmt):
            conv.replace[id(stmt)] = cst.RemovalSentinel.REMOVE
            continue
        used = _names_outside(stmt, handled) & conv.configured
        if not used:
            continue
        if (trainers := _the_trainers(conv, stmt, used)) is not None:  # a save of their state after training
            conv.replace[id(stmt)] = renaming(conv.replace.get(id(stmt)), trainers)
            conv.report.add("T2L145", conv.plan.line(stmt), f"`{', '.join(sorted(used))}` read after fit from the "
                            "Trainer, which holds the ones configure_optimizers built")  # fmt: skip
            continue
        node = next(n for n in walk(stmt) if isinstance(n, cst.Name) and n.value in used)
        names = ", ".join(sorted(used))
        conv.todo("T2L909", node, f"uses `{names}`, which configure_optimizers now builds: after fit use "
                  "lit_model.optimizers(); to load its state, do it in the LightningModule (e.g. on_fit_start)")  # fmt: skip


def _the_trainers(conv, stmt: cst.BaseStatement, used: set[str]) -> dict[str, cst.BaseExpression] | None:
    """After fit, with one optimizer and at most one scheduler built in configure_optimizers: the Trainer's objects
    for those names (`optimizer.state_dict()` in a checkpoint saved after training). None before fit, or else."""
    plan = conv.plan
    if plan.line(stmt) <= plan.line(plan.site) or len(conv.stepped) != 1:
        return None
    if any(isinstance(n, (cst.For, cst.While)) for n in walk(stmt)):
        return None  # a loop after fit that steps the optimizer again is no save of its state
    optimizer = next(iter(conv.stepped))
    schedulers = conv.configured - {optimizer}
    module = conv.plan.site_name("lit_model")
    found = {optimizer: f"{module}.trainer.optimizers[0]"}
    if len(schedulers) == 1:
        found[next(iter(schedulers))] = f"{module}.trainer.lr_scheduler_configs[0].scheduler"
    if not used <= set(found):
        return None
    return {name: cst.parse_expression(found[name]) for name in used}


def kept(conv, line: int, stmt: cst.BaseStatement, reason: str) -> cst.BaseStatement:
    """A statement moved into a hook (or left after the Trainer) that reads what the training computed."""
    return marks.kept(conv.report, "T2L909", line, stmt, reason)


def mark_after_fit(conv, stmt: cst.BaseStatement, names: set[str]) -> None:
    reason = f"reads `{', '.join(sorted(names))}`, which the replaced training loop computed"
    conv.report.add("T2L909", conv.plan.line(stmt), reason)
    conv.replace[id(stmt)] = marking(conv.replace.get(id(stmt)), todo_line("T2L909", reason))


def training_local(conv, name: str, hook) -> None:
    """A local of the training function a hook reads: the site cannot pass it. Reported where the function reads
    it (or at the function), and marked on the hook's first line."""
    reason = f"`{name}` is a local of the training function; pass it to __init__ by hand"
    source = hook.source if hook.source is not None else conv.plan.site_scope
    read = next((n for n in walk(source) if isinstance(n, cst.Name) and n.value == name), source)
    conv.report.add("T2L909", conv.plan.line(read) or conv.plan.line(source), reason)
    conv.hook_todos.setdefault(hook.name, []).append(f"T2L909 {reason}")


def _names_outside(stmt: cst.CSTNode, skipped: set[int]) -> set[str]:
    """The names in `stmt` but not in the statements `skipped`."""
    if not skipped:
        return loads(stmt)
    found, stack = set(), [stmt]
    while stack:
        node = stack.pop()
        if id(node) not in skipped:
            found |= {node.value} if isinstance(node, cst.Name) else set()
            stack.extend(children(node))
    return found
