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
last window is partial (`len(loader) % K`, `(i + 1) % K` of the batch index, or `n % K` of a count of the epoch's
batches, `!= 0` or alone) with the accumulation's own K, and holds only that optimizer's `step()` and `zero_grad()`.
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import walk
from converter.convert.edits import block_of
from converter.convert.loops import batch_index, enumerated
from converter.names import code, dotted, method_call

CODES = {"T2L183": "the step after the batch loop for an epoch's last partial accumulation window removed: Lightning "
                   "steps on each epoch's last batch"}  # fmt: skip


def step_after_the_loop(conv, every: cst.BaseExpression) -> cst.If | None:
    """The `if` right after the batch loop that steps the last partial window of `every` batches, else None."""
    plan = conv.plan
    block, at = block_of(plan.index, plan.batch_loop) or [], len(conv.prelude)  # the batch loop is block[at]
    after = block[at + 1] if at + 1 < len(block) else None
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
    """`X % K != 0` or `X % K`, X the epoch's batch count: `len(<the loop's iterable>)`, `<batch index> + 1`, or a
    count of the epoch's batches."""
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
    return count == f"len({code(iterated)})" or (index is not None and count == f"{index} + 1") or _counts_batches(conv, count)


def _counts_batches(conv, name: str) -> bool:
    """`name` counts the epoch's batches: set to 0 before the batch loop in its block (`total, n = 0.0, 0` too) and
    incremented by 1 once in the loop's body, at its top level (`n += 1`)."""
    increments = [s for s in conv.plan.batch_loop.body.body if isinstance(s, cst.SimpleStatementLine) and len(s.body) == 1
                  and isinstance(a := s.body[0], cst.AugAssign) and isinstance(a.operator, cst.AddAssign)
                  and dotted(a.target) == name and code(a.value) == "1"]  # fmt: skip
    counted = [n for n in walk(conv.plan.batch_loop.body) if isinstance(n, cst.Name) and n.value == name]
    return len(increments) == 1 and len(counted) == 1 and any(_set_to_zero(s, name) for s in conv.prelude)


def _set_to_zero(statement: cst.CSTNode, name: str) -> bool:
    """`name = 0`, or `a, name = x, 0`."""
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
    if not (isinstance(small, cst.Assign) and len(small.targets) == 1):
        return False
    target, value = small.targets[0].target, small.value
    if isinstance(target, cst.Name):
        return target.value == name and code(value) == "0"
    if isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple) and len(target.elements) == len(value.elements):
        return any(dotted(t.value) == name and code(v.value) == "0" for t, v in zip(target.elements, value.elements))
    return False
