"""The step after the batch loop for an epoch's last, partial accumulation window (T2L183): removed.

    for i, (x, y) in enumerate(loader):
        loss = criterion(model(x), y) / accum
        loss.backward()
        if (i + 1) % accum == 0:                      ->  Trainer(accumulate_grad_batches=accum)
            optimizer.step()
            optimizer.zero_grad()
    if len(loader) % accum != 0:                      ->  (gone: Lightning steps on an epoch's last batch)
        optimizer.step()
        optimizer.zero_grad()

Lightning steps the optimizer on each epoch's last batch, a partial window included; this `if` is the loop's way to
do the same, right after its last batch. Kept, it ran in on_train_epoch_end and stepped a second time (different from
the window after the first epoch's). Recognised when it is the statement right after the batch loop, tests that the
last window is partial (`len(loader) % K` or `(i + 1) % K` of the batch index, `!= 0` or alone) with the
accumulation's own K, and holds only that optimizer's `step()` and `zero_grad()`.
"""

from __future__ import annotations

import libcst as cst

from converter.convert.edits import block_of
from converter.convert.loops import batch_index, enumerated
from converter.names import code, dotted, method_call

CODES = {"T2L183": "the step after the batch loop for an epoch's last partial accumulation window removed: Lightning "
                   "steps on each epoch's last batch"}  # fmt: skip


def step_after_the_loop(conv, every: cst.BaseExpression) -> cst.If | None:
    """The `if` right after the batch loop that steps the last partial window of `every` batches, else None."""
    plan = conv.plan
    block = block_of(plan.index, plan.batch_loop) or []
    at = next((i for i, s in enumerate(block) if s is plan.batch_loop), None)
    after = block[at + 1] if at is not None and at + 1 < len(block) else None
    if not (isinstance(after, cst.If) and after.orelse is None and isinstance(after.body, cst.IndentedBlock)
            and _partial_window(conv, after.test, every)):  # fmt: skip
        return None
    if not all(isinstance(s, cst.SimpleStatementLine) for s in after.body.body):
        return None
    smalls = [small for s in after.body.body for small in s.body]  # type: ignore[attr-defined]
    calls = [small.value for small in smalls if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call)]
    if len(calls) != len(smalls):
        return None  # a statement that is not a call
    stepped = [c for c in calls if method_call(c, "step") and dotted(c.func.value) in conv.stepped]  # type: ignore[attr-defined]
    zeroed = [c for c in calls if method_call(c, "zero_grad") and not c.args]
    if len(stepped) != 1 or len(stepped) + len(zeroed) != len(calls):
        return None
    conv.report.add("T2L183", plan.line(after), f"{CODES['T2L183']} (`if {code(after.test)}:`)")
    return after


def _partial_window(conv, test: cst.BaseExpression, every: cst.BaseExpression) -> bool:
    """`X % K != 0` or `X % K`, X the epoch's batch count: `len(<the loop's iterable>)` or `<batch index> + 1`."""
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        target = test.comparisons[0]
        if not (isinstance(target.operator, cst.NotEqual) and code(target.comparator) == "0"):
            return False
        test = test.left
    if not (isinstance(test, cst.BinaryOperation) and isinstance(test.operator, cst.Modulo) and code(test.right) == code(every)):
        return False
    count, plan = code(test.left.with_changes(lpar=[], rpar=[])), conv.plan
    counter = enumerated(plan.batch_loop.iter)
    iterated = counter.args[0].value if counter is not None and counter.args else plan.batch_loop.iter
    index = batch_index(plan.batch_loop)
    return count == f"len({code(iterated)})" or (index is not None and count == f"{index} + 1")
