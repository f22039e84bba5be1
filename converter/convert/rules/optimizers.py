"""Optimizer construction: moved from beside the loop into configure_optimizers.

The assignments that build the stepped optimizers (and their schedulers) move into the hook; other hooks see
them as `self.optimizers()` (`self.optimizers()[i]` for several under manual optimization), never the object built before
the Trainer, which would be a different one. Code that still uses a moved name beside the loop is marked
(loop_variables, T2L909).
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import rebuild_paths, walk
from converter.convert.edits import parse_statements, site_statements, strip_blank
from converter.convert.hook import Hook
from converter.convert.rules import loop_variables, resumed_state, schedulers
from converter.names import bound_names, code, loads, method_call, rename, scope_writes
from converter.saved import saved_whole

CODES = {
    "T2L118": "optimizer construction moved to configure_optimizers",
    "T2L153": "an optimizer or scheduler handed to a function before training (resume code), or read by a function "
              "of the script as a global, stays where it is built; configure_optimizers returns it",
}


def configure_optimizers(conv) -> list[Hook]:
    """configure_optimizers, and on_fit_start where resume code loads the moved objects' state (resumed_state)."""
    plan = conv.plan
    moved: list[cst.BaseStatement] = []
    wanted = set(conv.stepped) | {s for s, _ in schedulers.ordered(conv)}
    wanted -= _handed_to_functions(conv, wanted)
    wanted -= _read_by_functions(conv, wanted)
    wanted -= _held_by_kept_schedulers(conv, wanted)
    for stmt in site_statements(plan):
        if (targets := _assigned(stmt)) is not None:
            if targets and targets <= wanted and plan.line(stmt) < plan.line(plan.site):
                moved.append(stmt.with_changes(leading_lines=strip_blank(stmt.leading_lines)))
                conv.configured |= targets
                conv.replace[id(stmt)] = cst.RemovalSentinel.REMOVE
                if targets & set(conv.stepped):
                    conv.report.add("T2L118", plan.line(stmt))
                else:
                    schedulers.moved(conv, stmt)
        elif _adds_a_group(stmt, conv.configured) and plan.line(stmt) < plan.line(plan.site):
            moved.append(stmt.with_changes(leading_lines=strip_blank(stmt.leading_lines)))  # YOLOv5's weights group
            conv.replace[id(stmt)] = cst.RemovalSentinel.REMOVE
            conv.report.add("T2L118", plan.line(stmt), "optimizer.add_param_group(...) moved with its optimizer")
    handled, resumed = resumed_state.keep(conv) if moved else (set(), None)
    if moved:
        loop_variables.mark_moved_reads(conv, handled)
    schedulers.report_epoch_steps(conv)
    optimizers = ", ".join(conv.stepped)
    if conv.manual:
        names = ", ".join(s for s, _ in schedulers.ordered(conv))
        ret = f"return [{optimizers}], [{names}]" if names else f"return [{optimizers}]"
    elif len(configs := schedulers.configurations(conv)) == 1:
        ret = f'return {{"optimizer": {optimizers}, "lr_scheduler": {{{configs[0]}}}}}'
        if optional := sorted(conv.optional_schedulers):  # `get_scheduler(cfg, optimizer)` may return None
            ret += f" if {optional[0]} is not None else {optimizers}"
    elif configs:  # several schedulers of the one optimizer: two lists (those that are None left out)
        listed = ", ".join("{" + c + "}" for c in configs)
        ret = (f'return [{optimizers}], [c for c in [{listed}] if c["scheduler"] is not None]' if conv.optional_schedulers
               else f"return [{optimizers}], [{listed}]")  # fmt: skip
    else:
        ret = f"return {optimizers}"
    returned = rename(parse_statements(ret + "\n")[0], plan.binding)  # the train function's names -> the site's
    hook = Hook("configure_optimizers", [], [*moved, returned], plan.site_scope, {})
    return [h for h in (hook, resumed, schedulers.stepped_by_training_step(conv)) if h is not None]


def seen_from_hooks(conv, name: str) -> cst.BaseExpression:
    """An optimizer or scheduler built in configure_optimizers, seen from another hook."""
    if name in conv.stepped:
        index = conv.stepped.index(name)
        several = conv.manual and len(conv.stepped) > 1  # Lightning hands one optimizer back alone, not in a list
        return cst.parse_expression(f"self.optimizers()[{index}]" if several else "self.optimizers()")
    return schedulers.seen_from_hooks(conv, name)


def unwrapped_where_pickled(conv, body: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
    """`self.optimizers()` that a hook pickles whole (converter/saved.py: the sgrvinod tutorials' `save_checkpoint(
    epoch, model, optimizer)` saves `{"optimizer": optimizer}`) -> `self.optimizers(use_pl_optimizer=False)`:
    Lightning's wrapper is a class made at run time, which pickle cannot find (PicklingError after a clean exit); the
    optimizer it wraps is the script's own."""
    functions = {s.name.value: s for s in conv.plan.module.body if isinstance(s, cst.FunctionDef)}
    changed: dict[int, object] = {}
    for statement in body:
        for call in (n for n in walk(statement) if isinstance(n, cst.Call)):
            for value in saved_whole(call, functions, conv.plan.imports.call_name):
                held = value.value if isinstance(value, cst.Subscript) else value  # `self.optimizers()[1]`
                if isinstance(held, cst.Call) and code(held) == "self.optimizers()":
                    changed[id(held)] = cst.parse_expression("self.optimizers(use_pl_optimizer=False)")
    if not changed:
        return body
    return [rebuild_paths(s, _ancestors_of(s, changed), {}, changed) for s in body]


def _ancestors_of(root: cst.CSTNode, targets: dict[int, object]) -> set[int]:
    """The ids of the nodes on the paths from `root` down to the targets (what rebuild_paths descends into)."""
    dirty: set[int] = set()
    stack: list[tuple[cst.CSTNode, tuple[int, ...]]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in targets:
            dirty.update(path)
        stack += [(child, (*path, id(node))) for child in node.children]
    return dirty


def _handed_to_functions(conv, wanted: set[str]) -> set[str]:
    """Optimizers and schedulers that code before the loop hands to a function (`start = load_checkpoint(path,
    model, optimizer, scheduler)`: resume code): they stay where they are built and configure_optimizers returns
    those objects, so the state the function loaded into them is the state Lightning steps from."""
    plan = conv.plan
    handed: set[str] = set()
    for stmt in site_statements(plan):
        if plan.line(stmt) >= plan.line(plan.site) or isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
            continue
        if (targets := _assigned(stmt)) and targets & {*conv.kinds["optimizers"], *conv.kinds["schedulers"]}:
            continue  # a construction: `scheduler = StepLR(optimizer, ...)`
        for call in (n for n in walk(stmt) if isinstance(n, cst.Call)):
            passed = {a.value.value for a in call.args if isinstance(a.value, cst.Name) and a.value.value in wanted}
            if passed - handed:
                conv.report.add("T2L153", plan.line(call), f"`{', '.join(sorted(passed))}` handed to `{code(call.func)}` "
                                "before training: kept where built, and configure_optimizers returns the same objects")  # fmt: skip
            handed |= passed
    return handed | _their_schedulers(conv, handed, wanted)  # built before the function ran, as written


def _read_by_functions(conv, wanted: set[str]) -> set[str]:
    """Optimizers and schedulers bound at module level that a function of the script reads as a global (`def
    current_lr(): return optimizer.param_groups[0]["lr"]`, called for the epoch print): moved into configure_optimizers,
    the name would be gone when the function runs (NameError); they stay where they are built and configure_optimizers
    returns the same objects. Not the train function's own reads (its code becomes the hooks), nor a function that
    steps, zeroes or back-propagates (part of the step: the step rules map it)."""
    plan = conv.plan
    if not isinstance(plan.site_scope, cst.Module):
        return set()
    read: set[str] = set()
    for function in (s for s in plan.module.body if isinstance(s, cst.FunctionDef) and s is not plan.scope):
        if any(method_call(n, "step", "zero_grad", "backward") for n in walk(function.body)):
            continue  # part of the step (an LBFGS closure, a step function): the step rules' to map
        own = {p.name.value for p in function.params.params} | scope_writes(function.body)
        names = loads(function.body) & wanted - own - read
        if names:
            conv.report.add("T2L153", plan.line(function), f"`{', '.join(sorted(names))}` read by `{function.name.value}()` "
                            "as a global: kept where built, and configure_optimizers returns the same objects")  # fmt: skip
            read |= names
    return read | _their_schedulers(conv, read, wanted)


def _their_schedulers(conv, kept: set[str], wanted: set[str]) -> set[str]:
    """The schedulers built on optimizers that stay where they are built: they stay too."""
    found: set[str] = set()
    for stmt in site_statements(conv.plan):
        if (targets := _assigned(stmt)) and targets & set(conv.kinds["schedulers"]) and loads(stmt) & (kept | found):
            found |= targets & wanted
    return found


def _held_by_kept_schedulers(conv, wanted: set[str]) -> set[str]:
    """Optimizers a scheduler that stays beside the loop is built on (one stepped under a condition, T2L918): they
    stay there too, and configure_optimizers returns that object, so the scheduler's steps reach the optimizer
    Lightning steps (a new one built in the hook would leave the kept scheduler changing a rate nobody uses)."""
    held: set[str] = set()
    for stmt in site_statements(conv.plan):
        targets = _assigned(stmt) or set()
        if targets & set(conv.kinds["schedulers"]) and not targets <= wanted:
            held |= loads(stmt) & set(conv.stepped)
    return held


def _adds_a_group(stmt: cst.CSTNode, optimizers: set[str]) -> bool:
    """`optimizer.add_param_group({...})` on its own line, of an optimizer already moved: part of its construction."""
    return (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Expr)
            and method_call(stmt.body[0].value, "add_param_group", on=optimizers))  # fmt: skip


def _assigned(stmt: cst.CSTNode) -> set[str] | None:
    """The names a one-assignment line binds (`optimizer = SGD(...)`); None for any other statement."""
    if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and isinstance(stmt.body[0], cst.Assign):
        return set().union(*(bound_names(t.target) for t in stmt.body[0].targets))
    return None
