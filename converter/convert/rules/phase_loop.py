"""A `for phase in ["train", "val"]:` loop (the transfer-learning tutorial's shape) split into training_step and
validation_step.

Each hook gets the loop body with `phase == "train"` folded to True or False (the `if`s it decides vanish) and
`torch.set_grad_enabled(phase == "train")` removed; the loaders are the phase's entries.
"""

from __future__ import annotations

import libcst as cst

from converter.convert.step import NO_MATCH
from converter.names import dotted

CODES = {"T2L120": "train/val phase loop split into training_step and validation_step"}


def report(conv) -> None:
    if conv.plan.phase:
        conv.report.add("T2L120", conv.plan.line(conv.plan.batch_loop))


def on_with_item(step, with_node, call, name) -> bool:
    if name != "torch.set_grad_enabled":
        return False
    step.report.add("T2L120", step.at(with_node), "torch.set_grad_enabled(phase == ...) removed")
    return True


def on_if(step, original: cst.If, updated: cst.If):
    folded = _fold(step.ctx.phase, updated.test)
    if folded is True:
        return cst.FlattenSentinel(updated.body.body)  # type: ignore[union-attr]
    if folded is False:
        if isinstance(updated.orelse, cst.Else):
            return cst.FlattenSentinel(updated.orelse.body.body)  # type: ignore[union-attr]
        if isinstance(updated.orelse, cst.If):
            return updated.orelse
        return cst.RemovalSentinel.REMOVE
    return NO_MATCH


def _fold(phase: tuple[str, str] | None, test: cst.BaseExpression) -> bool | None:
    """`phase == "train"` with a known phase -> True/False; `a and b` folded where one side is False."""
    if phase is None:
        return None
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        left, (comparison,) = test.left, test.comparisons
        right = comparison.comparator
        if dotted(left) == phase[0] and isinstance(right, cst.SimpleString):
            equal = right.evaluated_value == phase[1]
            if isinstance(comparison.operator, cst.Equal):
                return equal
            if isinstance(comparison.operator, cst.NotEqual):
                return not equal
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        left, right = _fold(phase, test.left), _fold(phase, test.right)
        if left is False or right is False:
            return False
        if left is True and right is True:
            return True
    return None
