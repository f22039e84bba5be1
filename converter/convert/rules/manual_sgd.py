"""Manual parameter updates (T2L903): an in-place update of `.data` / `.grad` beside an optimizer step is kept and
marked; a loop with no optimizer step at all declines with T2L903, which the manual-SGD normalizer
(converter/convert/normalize/sgd_optimizer.py, T2L131) then tries to make a `torch.optim.SGD` step. A loop that
steps an optimizer this route cannot follow (`model.optimizer.step()`, the optimizer set in the model's class; a
wrapper's `optimizer.step_and_update_lr()`) declines with T2L908 saying so, not as a manual update. (SAM's
`optimizer.first_step()` and `second_step()` are steps: plan.stepped_optimizers, manual optimization.)
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import walk
from converter.convert.rules import accumulation, full_batch, manual_optimization
from converter.convert.step import NO_MATCH
from converter.names import code, dotted

CODES = {"T2L903": "manual parameter updates (p.data.add_, in-place updates of .grad or parameters)"}
INPLACE_UPDATES = {"add_", "sub_", "mul_", "copy_", "zero_", "addcmul_", "addcdiv_"}


def on_call(step, line, call, owner, method):
    """An in-place update of `.data` / `.grad` beside an optimizer step: kept, marked (Lightning's step also runs,
    and in training_step the update runs before Lightning's backward). Under manual optimization training_step
    calls backward and step where the loop did, so the update stays between them as written (gradient noise or
    clamping between the backward and the step, the reason the optimization is manual): nothing to mark."""
    if step.ctx.manual:
        return NO_MATCH
    if method in INPLACE_UPDATES and owner and owner.endswith((".data", ".grad")):
        return step.todo(line, "T2L903", f"manual parameter update `{code(call)}` kept; Lightning's step also runs")
    return NO_MATCH


def decline(conv) -> str | None:
    """No optimizer step at all: the parameters are updated by hand (the manual-SGD normalizer then tries)."""
    if conv.stepped:
        return None
    if (declined := accumulation.micro_steps(conv)) is not None:  # the step is in the loop around: not by hand
        return declined
    if (declined := manual_optimization.optimizers_in_a_list(conv)) is not None:  # stepped, through a list
        return declined
    calls = [c for c in walk(conv.plan.batch_loop.body) if isinstance(c, cst.Call) and isinstance(c.func, cst.Attribute)]
    zeroed = {dotted(c.func.value) for c in calls if c.func.attr.value == "zero_grad"}
    steps = [c for c in calls if dotted(c.func.value) not in conv.kinds["schedulers"] and (c.func.attr.value.endswith("step")
             or ("step" in c.func.attr.value and _an_optimizer(dotted(c.func.value), zeroed)))]  # fmt: skip
    if steps:  # `model.optimizer.step()`, `optimizer.step_and_update_lr()`
        return conv.unsupported(conv.plan.batch_loop, full_batch.NOT_A_LOOP, f"`{code(steps[0])}` steps an optimizer "
                                "this route cannot follow (built as an attribute in a class, or stepped through "
                                "methods of its own): convert with --to fabric, which keeps the loop and its "
                                "optimizer as they are")  # fmt: skip
    return conv.unsupported(conv.plan.batch_loop, "T2L903", "no optimizer step: parameters are updated by hand; "
                            "make it torch.optim.SGD(params, lr=lr) (p -= lr * p.grad is its step) and convert again")


def _an_optimizer(receiver: str | None, zeroed: set[str | None]) -> bool:
    """`optimizer.step_and_update_lr()` (a wrapper class's step, the transformer repositories'): a receiver the loop
    zeroes the gradients of, or named as an optimizer."""
    return receiver is not None and (receiver in zeroed or "optim" in receiver.lower())
