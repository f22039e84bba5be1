"""Manual parameter updates (T2L903): an in-place update of `.data` / `.grad` beside an optimizer step is kept and
marked; a loop with no optimizer step at all declines with T2L903, which the manual-SGD normalizer
(converter/convert/normalize/sgd_optimizer.py, T2L131) then tries to make a `torch.optim.SGD` step. A loop that
steps an optimizer this route cannot follow (`model.optimizer.step()`, the optimizer set in the model's class; SAM's
`optimizer.first_step()` and `second_step()`) declines with T2L908 saying so, not as a manual update.
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
    """An in-place update of `.data` / `.grad` beside an optimizer step: kept, marked (Lightning's step also runs)."""
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
    steps = [c for c in walk(conv.plan.batch_loop.body) if isinstance(c, cst.Call) and isinstance(c.func, cst.Attribute)
             and c.func.attr.value.endswith("step") and dotted(c.func.value) not in conv.kinds["schedulers"]]  # fmt: skip
    if steps:  # `model.optimizer.step()`, SAM's `optimizer.first_step(...)` / `second_step(...)`
        return conv.unsupported(conv.plan.batch_loop, full_batch.NOT_A_LOOP, f"`{code(steps[0])}` steps an optimizer "
                                "this route cannot follow (built as an attribute in a class, or stepped through "
                                "methods of its own): convert with --to fabric, which keeps the loop and its "
                                "optimizer as they are")  # fmt: skip
    return conv.unsupported(conv.plan.batch_loop, "T2L903", "no optimizer step: parameters are updated by hand; "
                            "make it torch.optim.SGD(params, lr=lr) (p -= lr * p.grad is its step) and convert again")
