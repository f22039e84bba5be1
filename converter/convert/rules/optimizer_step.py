"""`optimizer.step()` in the batch loop: removed, Lightning steps the optimizers configure_optimizers returns.

Under manual optimization the call stays (the user's order). The order in which the loop steps its optimizers
is recorded: configure_optimizers returns them in that order.
"""

from __future__ import annotations

from converter.convert.step import NO_MATCH

CODES = {"T2L103": "optimizer.step() removed: Lightning steps the optimizer from configure_optimizers"}


def on_call(step, line, call, owner, method):
    if method != "step" or owner not in step.ctx.optimizers:
        return NO_MATCH
    if owner not in step.out.optimizer_order:
        step.out.optimizer_order.append(owner)
    if step.ctx.manual:
        return call
    step.report.add("T2L103", step.line)
    return None
