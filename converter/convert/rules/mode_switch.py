"""`model.train()` / `model.eval()`: removed, Lightning switches modes around its loops; kept where the training
step switches after its backward (a periodic evaluation inside the batch loop).

One exception: when code moved to on_train_epoch_end may leave eval mode (an evaluation function the epoch loop
called), the training's `model.train()` is kept at each epoch's start, since Lightning restores train mode only
after its own validation loop.
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import walk
from converter.convert.step import NO_MATCH

CODES = {"T2L105": "model.train() / model.eval() removed: Lightning switches modes around each loop"}


def on_call(step, line, call, owner, method):
    if method not in ("train", "eval") or call.args or owner is None:
        return NO_MATCH
    if step.ctx.kind == "train" and step.out.losses:  # after the step's backward: a block of its own (a periodic
        # plot or test prediction) that the loop ran in eval mode; without the switch its dropout would also draw
        # from the RNG and shift every later batch
        step.report.add("T2L105", step.line, f"`.{method}()` after the step's backward kept: the code after it ran "
                        "in that mode in the loop")  # fmt: skip
        return NO_MATCH
    step.report.add("T2L105", step.line)
    return None


def kept_at_epoch_start(conv) -> cst.BaseStatement | None:
    """The training's `.train()` call, for on_train_epoch_start."""
    for place in (conv.plan.batch_loop.body, *conv.prelude):
        for node in walk(place):
            if _switch_line(node) == "train":
                conv.report.add("T2L105", conv.plan.line(node), "`.train()` kept in on_train_epoch_start: code at epoch end may switch to eval")
                return node.with_changes(leading_lines=[])
    return None


def is_eval(stmt: cst.BaseStatement) -> bool:
    return _switch_line(stmt) == "eval"


def dropped_at_epoch_start(conv, stmt: cst.BaseStatement) -> bool:
    """`model.train()` / `model.eval()` alone on a line of the epoch loop: removed (and reported)."""
    if _switch_line(stmt) is None:
        return False
    conv.report.add("T2L105", conv.plan.line(stmt))
    return True


def _switch_line(node: cst.CSTNode) -> str | None:
    """"train" or "eval" for a line that is only `x.train()` / `x.eval()`."""
    if not (isinstance(node, cst.SimpleStatementLine) and len(node.body) == 1 and isinstance(node.body[0], cst.Expr)):
        return None
    call = node.body[0].value
    if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and not call.args:
        return call.func.attr.value if call.func.attr.value in ("train", "eval") else None
    return None
