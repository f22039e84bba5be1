"""`clip_grad_norm_(model.parameters(), v)` -> `fabric.clip_gradients(model, optimizer, max_norm=v)` (and
`clip_grad_value_` -> `clip_val=`), for a model set up with its optimizer: under 16-mixed Fabric unscales the
gradients first. A norm clip keeps torch's `error_if_nonfinite=False` unless the script says otherwise: Fabric's
default raises on a NaN or infinite norm, where the script clipped and went on (or skipped the step itself).
Other clipping calls are left as written (right without a GradScaler), and so is a norm clip of a model whose
optimizer holds its parameters in groups (`no_decay`): Fabric clips the optimizer's parameters, in the groups' order,
and the norm summed in another order than `model.parameters()` is other bits once the clip acts."""

from __future__ import annotations

import libcst as cst

from converter.fabric.script import Script
from converter.names import code, dotted

CODES = {"T2L307": "clip_grad_norm_ / clip_grad_value_ -> fabric.clip_gradients(model, optimizer, ...)"}
CLIPPERS = {"torch.nn.utils.clip_grad_norm_": "max_norm", "torch.nn.utils.clip_grad.clip_grad_norm_": "max_norm",
            "torch.nn.utils.clip_grad_value_": "clip_val", "torch.nn.utils.clip_grad.clip_grad_value_": "clip_val"}  # fmt: skip
KEYWORDS = {"max_norm": "max_norm", "clip_value": "clip_val", "norm_type": "norm_type",
            "error_if_nonfinite": "error_if_nonfinite"}  # fmt: skip


def apply(script: Script) -> None:
    for call in script.index.of_kind(cst.Call):
        limit = CLIPPERS.get(script.call_name(call) or "")
        if limit is None or not call.args or not script.fabric_reachable(call):
            continue
        first, rest = call.args[0].value, call.args[1:]
        model = dotted(first.func.value) if (isinstance(first, cst.Call) and isinstance(first.func, cst.Attribute)
                                             and first.func.attr.value == "parameters") else None  # fmt: skip
        optimizer = script.optimizer_of.get(model or "")
        if limit == "max_norm" and model in script.grouped:
            continue
        if optimizer is None or any(a.keyword and a.keyword.value not in KEYWORDS for a in rest) or len(
                [a for a in rest if a.keyword is None]) > 1:  # fmt: skip
            continue
        parts = [model, optimizer] + [f"{limit}={code(a.value)}" if a.keyword is None
                                      else f"{KEYWORDS[a.keyword.value]}={code(a.value)}" for a in rest]  # fmt: skip
        if limit == "max_norm" and not any(a.keyword and a.keyword.value == "error_if_nonfinite" for a in rest):
            parts.append("error_if_nonfinite=False")  # torch's default; Fabric's is True (a NaN norm would raise)
        script.replace(call, cst.parse_expression(f"{script.name}.clip_gradients({', '.join(parts)})"))
        script.report.add("T2L307", script.line(call))
        script.uses_fabric(call)
