"""`.to(device)` / `.cuda()` on batches: removed, Lightning moves each batch to the module's device.

`.to(device, dtype)` and `.to(device, dtype=torch.long)` keep the dtype change (`.to(dtype)`); `x = x.to(device)`
becomes `x = x` and goes. A `device` the hooks
still read becomes `self.device`.
"""

from __future__ import annotations

import libcst as cst

from converter.convert.step import NO_MATCH
from converter.names import dotted

CODES = {"T2L104": ".to(device) / .cuda() on batches removed: Lightning moves batches to the device"}


def on_expression_call(step, call: cst.Call, owner, method):
    if method == "cuda":
        step.report.add("T2L104", step.line)
        return call.func.value  # type: ignore[union-attr]
    positional = bool(call.args) and call.args[0].keyword is None and _is_device(step, call.args[0].value)
    if method == "to" and (positional or any(a.keyword and a.keyword.value == "device" for a in call.args)):
        # the device goes, a dtype stays: `.to(device, dtype=torch.long)` -> `.to(dtype=torch.long)`
        rest = [a for a in call.args[positional:] if not (a.keyword and a.keyword.value in ("device", "non_blocking", "copy"))]
        step.report.add("T2L104", step.line)
        return call.with_changes(args=_without_trailing_comma(rest)) if rest else call.func.value  # type: ignore[union-attr]
    return NO_MATCH


def _without_trailing_comma(args: list[cst.Arg]) -> list[cst.Arg]:
    return [*args[:-1], args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]


def on_assign(step, line, assign: cst.Assign):
    if not _is_identity(assign):
        return NO_MATCH
    step.report.add("T2L104", step.line)
    return None


def _is_device(step, node: cst.BaseExpression) -> bool:
    name = dotted(node)
    last = (name or "").rsplit(".", 1)[-1].lower()
    if name is not None and ("device" in last or "gpu" in last or last in ("cuda", "rank", "local_rank")):
        return True  # `.to(gpu_id)`, `.to(local_rank)`: a CUDA device index
    if isinstance(node, cst.SimpleString) and node.evaluated_value.split(":")[0] in ("cuda", "cpu", "mps"):
        return True
    return isinstance(node, cst.Call) and step.ctx.imports.call_name(node) == "torch.device"


def _is_identity(assign: cst.Assign) -> bool:
    """`x = x` or `a, b = a, b` (what `x = x.to(device)` becomes once the move is stripped)."""
    if len(assign.targets) != 1:
        return False
    target, value = assign.targets[0].target, assign.value
    if isinstance(value, cst.DictComp) and isinstance(value.key, cst.Name) and isinstance(value.value, cst.Name):
        # {k: v for k, v in batch.items()} once `.to(device)` is stripped from v
        loop = value.for_in
        names = [dotted(e.value) for e in loop.target.elements] if isinstance(loop.target, cst.Tuple) else []
        source = loop.iter
        return (
            names == [value.key.value, value.value.value]
            and isinstance(source, cst.Call)
            and dotted(source.func) == f"{dotted(target)}.items"
        )
    if isinstance(target, cst.Name):
        return isinstance(value, cst.Name) and value.value == target.value
    if isinstance(target, (cst.Tuple, cst.List)) and isinstance(value, (cst.Tuple, cst.List)):
        left = [dotted(e.value) for e in target.elements]
        right = [dotted(e.value) for e in value.elements]
        return None not in left and left == right
    return False
