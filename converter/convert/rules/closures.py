"""`optimizer.step(closure)` (LBFGS): the closure's body becomes training_step.

Lightning's automatic optimization already passes its own closure (forward + backward) to `optimizer.step`, so
an LBFGS closure converts like any step. The plan (plan.py) reads the closure as a one-batch loop. A step with
arguments written inside a batch loop is kept and marked: the converter cannot tell what they mean.
"""

from __future__ import annotations

from converter.convert.step import NO_MATCH
from converter.names import code

CODES = {
    "T2L127": "optimizer.step(closure): the closure body -> training_step (Lightning passes its own closure)",
    "T2L904": "optimizer.step(closure) (LBFGS-style closures)",
}


def on_call(step, line, call, owner, method):
    if method != "step" or owner not in step.ctx.optimizers or not call.args:
        return NO_MATCH
    if owner not in step.out.optimizer_order:
        step.out.optimizer_order.append(owner)
    return step.todo(line, "T2L904", f"`{code(call)}`: a step with arguments inside the batch loop")


def report(conv) -> bool:
    """True (and reported) when the training step is an `optimizer.step(closure)` closure."""
    if conv.plan.closure_step is None:
        return False
    conv.report.add("T2L127", conv.plan.line(conv.plan.closure_step))
    return True
