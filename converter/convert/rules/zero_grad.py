"""`optimizer.zero_grad()` / `model.zero_grad()` in the batch loop: removed, Lightning zeroes the gradients.

Under manual optimization (two optimizers) the call stays where the user put it: there the order of
zero_grad, backward and step is the user's to keep.
"""

from __future__ import annotations

from converter.convert.step import NO_MATCH

CODES = {"T2L101": "optimizer.zero_grad() / model.zero_grad() removed: Lightning zeroes gradients"}


def on_call(step, line, call, owner, method):
    if method != "zero_grad":
        return NO_MATCH
    if step.ctx.manual:
        return call
    step.report.add("T2L101", step.line)
    return None
