"""`loss.backward()`: removed, `training_step` returns the loss and Lightning calls backward on it.

The tensor given to backward is the loss the hook returns (under accumulation, before the division Lightning
makes itself; under AMP, unscaled). `retain_graph` / `create_graph` are dropped with a TODO, and a loop with
several backward calls per step is not converted. Custom backward hooks are kept and marked.
"""

from __future__ import annotations

from converter.convert.rules import accumulation, manual_optimization, precision
from converter.convert.step import NO_MATCH
from converter.names import code

CODES = {
    "T2L102": "loss.backward() removed: training_step returns the loss and Lightning calls backward",
    "T2L902": "custom backward hooks",
    "T2L907": "more than one backward per optimizer step, or retain_graph",
}
REGISTER_HOOKS = {"register_hook", "register_full_backward_hook", "register_backward_hook"}


def on_call(step, line, call, owner, method):
    if method in REGISTER_HOOKS:
        return step.todo(line, "T2L902", f"custom backward hook `{code(call.func)}` kept; check it under Lightning")
    if method != "backward":
        return NO_MATCH
    target = precision.unscaled(step, accumulation.undivided(step, call.func.value))
    if any(a.keyword and a.keyword.value in ("retain_graph", "create_graph") for a in call.args):
        step.report.add("T2L907", step.line, f"`{code(call)}`: retain_graph/create_graph kept as a plain backward")
    step.out.losses.append(target)
    if step.ctx.manual:
        return manual_optimization.manual_backward(step, target)
    step.report.add("T2L102", step.line)
    return None


def decline(conv) -> str | None:
    """Several backward calls per optimizer step (not two optimizers): not converted."""
    if conv.plan.backward_count > 1 and not conv.manual:
        return conv.unsupported(conv.plan.batch_loop, "T2L907", "several backward calls per optimizer step")
    return None
