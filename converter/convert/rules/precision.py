"""`torch.autocast` + `GradScaler`: removed, `Trainer(precision="16-mixed" / "bf16-mixed")` does both.

The autocast's dtype picks the precision; `enabled=flag` and a CUDA-only autocast become a conditional
precision, so a CPU run keeps the full precision it had. `scaler.scale(loss).backward()`, `scaler.step(opt)`
and `scaler.update()` go: Lightning's precision plugin scales, unscales and skips inf steps.
"""

from __future__ import annotations

import libcst as cst

from converter import torch_names
from converter.convert.step import NO_MATCH
from converter.names import code, dotted

CODES = {"T2L109": "torch.autocast + GradScaler -> Trainer(precision=...)"}


def on_call(step, line, call, owner, method):
    if owner not in step.ctx.scalers:
        return NO_MATCH
    step.report.add("T2L109", step.line)
    if method == "step" and call.args:
        optimizer = dotted(call.args[0].value)
        if optimizer and optimizer not in step.out.optimizer_order:
            step.out.optimizer_order.append(optimizer)
        if step.ctx.manual:
            return cst.Call(cst.Attribute(call.args[0].value, cst.Name("step")))
    return None  # update(), unscale_(): Lightning's precision plugin does these


def unscaled(step, target: cst.BaseExpression) -> cst.BaseExpression:
    """`scaler.scale(loss)` -> `loss` (the tensor the hook returns)."""
    if isinstance(target, cst.Call) and step.method(target)[1] == "scale" and step.method(target)[0] in step.ctx.scalers:
        step.report.add("T2L109", step.line)
        return target.args[0].value
    return target


def on_with_item(step, with_node, call, name) -> bool:
    if name not in torch_names.AUTOCASTS:
        return False
    step.out.precision = _precision(call, name)
    step.report.add("T2L109", step.at(with_node))
    return True


def trainer_argument(conv, out) -> None:
    """`precision=` for the Trainer from what the autocast asked for."""
    if not out.precision:
        return
    dtype, enabled, cuda_only = out.precision
    wanted = '"bf16-mixed"' if dtype == "bfloat16" else '"16-mixed"'
    conditions = ["torch.cuda.is_available()"] if cuda_only else []
    if enabled is not None and (flag := code(conv.to_site(enabled, conv.plan.scope, conv.plan.binding))) not in conditions:
        conditions.append(flag)
    conv.trainer_args["precision"] = f'{wanted} if {" and ".join(conditions)} else "32-true"' if conditions else wanted


def _precision(call: cst.Call, name: str) -> tuple[str, cst.BaseExpression | None, bool]:
    dtype, enabled, device = "float16", None, "cuda" if name == "torch.cuda.amp.autocast" else None
    for position, arg in enumerate(call.args):
        keyword = arg.keyword.value if arg.keyword else ("device_type" if position == 0 else None)
        if keyword == "dtype":
            dtype = "bfloat16" if "bfloat16" in code(arg.value) else "float16"
        elif keyword == "enabled":
            enabled = arg.value
        elif keyword == "device_type" and isinstance(arg.value, cst.SimpleString):
            device = arg.value.evaluated_value
    if name == "torch.cpu.amp.autocast":
        dtype, device = "bfloat16", "cpu"
    return dtype, enabled, device == "cuda" and dtype == "float16"
