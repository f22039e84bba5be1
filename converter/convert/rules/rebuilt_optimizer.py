"""An optimizer built anew inside the training loop (`optimizer = SGD(model.parameters(), lr=lr)` at each epoch's
start, after `lr *= 0.5`): each build starts from empty state (momentum, Adam's moments). Lightning builds the
optimizers once, in configure_optimizers; the rebuilt state has no Lightning counterpart a rule could write, so
the loop is declined, naming the Fabric route (which keeps the loop as it is)."""

from __future__ import annotations

from converter.convert import plan as planning
from converter.names import code

CODES = {"T2L928": "an optimizer built anew inside the training loop (its state reset each time): Lightning builds it once"}


def decline(conv) -> str | None:
    plan = conv.plan
    built = planning.assigned_calls(plan.site, index=plan.index)
    if rebuilt := sorted(set(conv.stepped) & set(built)):
        name = rebuilt[0]
        return conv.unsupported(plan.site, "T2L928", f"`{name} = {code(built[name][0])}` builds the optimizer anew "
                                "inside the training loop, from empty state each time; Lightning builds it once, in "
                                "configure_optimizers (to change its learning rate, use a scheduler)")  # fmt: skip
    return None
