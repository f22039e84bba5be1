"""An optimizer that may be None (T2L934): `encoder_optimizer = Adam(...) if fine_tune_encoder else None`, every
use of it under `if encoder_optimizer is not None:` (the image-captioning tutorial fine-tunes its encoder only when
asked). configure_optimizers cannot return None among its optimizers (Lightning raised MisconfigurationException
after a clean exit, the `if` having been dropped as around an optimizer that always exists), and which optimizers
exist is known only when the script runs: the loop is left as it was, and `--to fabric` keeps it as written.
"""

from __future__ import annotations

import libcst as cst

from converter import torch_names
from converter.names import code, dotted, receivers

CODES = {"T2L934": "an optimizer that may be None (`... if flag else None`, or set to None): configure_optimizers "
                   "returns each optimizer the steps use, so the loop is left as it was (`--to fabric` keeps it)"}  # fmt: skip


def decline(conv) -> str | None:
    plan = conv.plan
    stepped = set(conv.stepped) | receivers(plan.batch_loop, "step")  # `encoder_optimizer.step()` under its `if`
    for assign in plan.index.of_kind(cst.Assign):
        if not _may_be_none(assign.value):
            continue
        optional = next((n for t in assign.targets if (n := dotted(t.target)) in stepped
                         and (n in conv.stepped or _an_optimizer(plan, assign.value))), None)  # fmt: skip
        if optional is not None:
            return conv.unsupported(plan.site, "T2L934", f"`{optional} = {code(assign.value)}` may be None: "
                                    "configure_optimizers must return every optimizer the steps use, and which exist "
                                    "is decided when the script runs")  # fmt: skip
    return None


def _may_be_none(value: cst.BaseExpression) -> bool:
    if isinstance(value, cst.Name):
        return value.value == "None"
    return isinstance(value, cst.IfExp) and (_may_be_none(value.body) or _may_be_none(value.orelse))


def _an_optimizer(plan, value: cst.BaseExpression) -> bool:
    """`Adam(...) if flag else None`: a torch optimizer in one of its branches."""
    if isinstance(value, cst.IfExp):
        return _an_optimizer(plan, value.body) or _an_optimizer(plan, value.orelse)
    return torch_names.is_optimizer(plan.imports.call_name(value))
