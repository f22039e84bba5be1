"""A batch loop over something the train function makes itself (`for x in logger.log_every(loader, ...)` with
`logger` built in the function): fit and validation are called where the function is called, and that object does
not exist there. Declined, with what to do, rather than a `trainer.fit(...)` that raises NameError.

One such object is reachable (T2L159): a DataLoader the function builds once, at the top of its body, from what its
caller has (`train_dataloader = DataLoader(train_pairs, batch_size=BATCH_SIZE, collate_fn=collate_fn)`, the
translation tutorial's train_epoch and evaluate). Building a loader draws no random numbers (`one_shot_loader.pure`:
a shuffling sampler draws when it is iterated), so fit (or validation) gets the same loader built at the call site,
and the function's own line still runs where its other code needs the name.
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import walk
from converter.convert import plan as planning
from converter.convert.inline import param_names
from converter.convert.loops import phase_loader
from converter.convert.rules import one_shot_loader, progress_bars
from converter.names import bound_names, code, reads, writes

CODES = {
    "T2L159": "a DataLoader the function builds from what its caller has -> built at the call site for fit / validation",
    "T2L924": "the batch loop iterates an object made inside the function that trains: fit cannot reach it",
}


def decline(conv) -> str | None:
    plan = conv.plan
    loops = [(plan.batch_loop, plan.scope, "fit")]
    loops += [(c.loop, c.scope, "validation") for c in (plan.val, plan.test) if isinstance(c, planning.Called)]
    for loop, scope, user in loops:
        if scope is plan.site_scope or not isinstance(scope, cst.FunctionDef):
            continue
        loader = progress_bars.loader_of(conv, loop, scope, report=False)
        if plan.phase and loop is plan.batch_loop:
            loader = phase_loader(loader, plan.phase[0], "train")
        loader = built_by_the_function(conv, loader, loop, scope, report=False)
        if unreachable := sorted(reads(loader) & _locals(scope)):
            made = ", ".join(f"`{name}`" for name in unreachable)
            return conv.unsupported(loop, "T2L924", f"the loop iterates `{code(loader)}`, made from {made} inside "
                                    f"`{scope.name.value}`: {user}, called where `{scope.name.value}` is, cannot reach "
                                    "it; iterate a loader the function is given, or keep the loop under Fabric")  # fmt: skip
    return None


def _locals(function: cst.FunctionDef) -> set[str]:
    """Names the function binds itself: not its parameters, not names it declares global."""
    params = set(param_names(function))
    declared = {n.name.value for node in walk(function.body) if isinstance(node, cst.Global) for n in node.names}
    return writes(function.body) - params - declared


def built_by_the_function(conv, loader: cst.BaseExpression, loop: cst.CSTNode, scope, report: bool = True) -> cst.BaseExpression:
    """The value in place of `loader`, a name `scope` binds once at the top of its body, before `loop`, to a loader
    built without random numbers from names its caller reaches: module names the site does not rebind, and parameters
    the call binds to values the epoch loop does not change. Otherwise `loader` as it is."""
    plan = conv.plan
    if scope is plan.site_scope or not isinstance(scope, cst.FunctionDef) or not isinstance(loader, cst.Name):
        return loader
    binding = plan.binding if scope is plan.scope else next(
        (c.binding for c in (plan.val, plan.test) if isinstance(c, planning.Called) and c.scope is scope), {})
    body = list(scope.body.body)
    assigned = [i for i, s in enumerate(body) if loader.value in writes(s)]
    looped = next((i for i, s in enumerate(body) if plan.index.contains(s, loop)), -1)
    small = body[assigned[0]].body[0] if len(assigned) == 1 and isinstance(body[assigned[0]], cst.SimpleStatementLine) else None
    if not (isinstance(small, cst.Assign) and len(body[assigned[0]].body) == 1 and len(small.targets) == 1
            and isinstance(small.targets[0].target, cst.Name) and assigned[0] < looped
            and one_shot_loader.pure(plan, small.value) and not one_shot_loader.changed_in_place(plan, scope, loader.value)):  # fmt: skip
        return loader
    read, params = reads(small.value), set(param_names(scope))
    loop_of_epochs = plan.epoch_loop
    changed = writes(loop_of_epochs.body) if loop_of_epochs is not None else set()
    changed |= bound_names(loop_of_epochs.target) if isinstance(loop_of_epochs, cst.For) else set()
    site_bound = writes(plan.site_scope.body) if isinstance(plan.site_scope, cst.FunctionDef) else set()
    if (read & _locals(scope) or any(p not in binding or reads(binding[p]) & changed for p in read & params)
            or (read - params) & site_bound):  # fmt: skip
        return loader
    if report:
        conv.report.add("T2L159", plan.line(body[assigned[0]]), f"`{loader.value}`, built in `{scope.name.value}`, is built "
                        "at the call site too for Lightning's loop (a DataLoader built again draws no random numbers)")  # fmt: skip
    return small.value


def feeds_only_the_loop(conv, stmt: cst.BaseStatement) -> bool:
    """The train function's `loader = DataLoader(...)` that fit now gets built at the call site, read by nothing in
    the function but the batch loop's header: it need not run at each epoch's start too."""
    plan = conv.plan
    if not (isinstance(plan.scope, cst.FunctionDef) and writes(stmt) & reads(plan.batch_loop.iter)
            and any(s is stmt for s in plan.scope.body.body)):  # fmt: skip
        return False  # (asked of every statement of the epoch: the cheap test first)
    loader = progress_bars.loader_of(conv, plan.batch_loop, plan.scope, report=False)
    if not (isinstance(loader, cst.Name) and loader.value in writes(stmt)):
        return False
    if built_by_the_function(conv, loader, plan.batch_loop, plan.scope, report=False) is loader:
        return False
    return sum(isinstance(n, cst.Name) and n.value == loader.value for n in walk(plan.scope.body)) == 2
