"""`loss.backward(...)` -> `fabric.backward(loss, ...)`: the precision plugin (a GradScaler for 16-mixed) and the
strategy (DDP, FSDP) hook in there. `torch.autograd.backward` and `torch.autograd.grad` are left as written."""

from __future__ import annotations

import libcst as cst

from converter.fabric.script import Script

CODES = {"T2L306": "loss.backward() -> fabric.backward(loss): precision and strategy hook in there"}


def _through_fabric(updated: cst.Call, fabric: str) -> cst.Call:
    """The updated call (another rule may have rewritten the loss inside it) as `fabric.backward(loss, ...)`."""
    args = [cst.Arg(updated.func.value.with_changes(lpar=[], rpar=[])), *updated.args]  # `(a + b).backward()`: no parens
    return updated.with_changes(func=cst.Attribute(cst.Name(fabric), cst.Name("backward")),
                                args=[a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in args[:-1]] + [args[-1]])


def apply(script: Script) -> None:
    for call in script.index.of_kind(cst.Call):
        func = call.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "backward"):
            continue
        if script.call_name(call) == "torch.autograd.backward" or not script.fabric_reachable(call):
            continue
        script.replace(call, lambda updated: _through_fabric(updated, script.name))
        script.report.add("T2L306", script.line(call))
        script.uses_fabric(call)
