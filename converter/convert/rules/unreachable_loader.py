"""A batch loop over something the train function makes itself (`for x in logger.log_every(loader, ...)` with
`logger` built in the function): fit and validation are called where the function is called, and that object does
not exist there. Declined, with what to do, rather than a `trainer.fit(...)` that raises NameError."""

from __future__ import annotations

import libcst as cst

from converter.analysis import walk
from converter.convert import plan as planning
from converter.convert.inline import param_names
from converter.convert.loops import phase_loader
from converter.convert.rules import progress_bars
from converter.names import code, reads, writes

CODES = {"T2L924": "the batch loop iterates an object made inside the function that trains: fit cannot reach it"}


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
