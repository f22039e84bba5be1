"""Gradient clipping before the step.

One `clip_grad_norm_` / `clip_grad_value_` call -> `Trainer(gradient_clip_val=..., gradient_clip_algorithm=...)`.
Several (per module, or both kinds) -> `configure_gradient_clipping` with the calls as written: Lightning's flag
clips all parameters together, which is not what two calls over two parameter groups compute. Under manual
optimization the call stays between the user's manual_backward and step; a loop that reads the returned norm
(`grad_norm = clip_grad_norm_(...)`, logged or printed) is converted under manual optimization for that reason.
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import walk
from converter.convert.hook import Hook
from converter.convert.step import NO_MATCH
from converter.names import code

CODES = {
    "T2L108": "gradient clipping before the step -> Trainer(gradient_clip_val=..., gradient_clip_algorithm=...)",
    "T2L129": "several gradient clipping calls -> configure_gradient_clipping, each call kept as written",
}
CLIP = {"torch.nn.utils.clip_grad_norm_": "norm", "torch.nn.utils.clip_grad_value_": "value"}


def on_call(step, line, call, owner, method):
    if not step.calls(call, CLIP):
        return NO_MATCH
    if step.ctx.manual:
        return call
    algorithm = CLIP[step.ctx.imports.call_name(call)]
    value = next((a.value for a in call.args[1:2]), None) or next(
        (a.value for a in call.args if a.keyword and a.keyword.value in ("max_norm", "clip_value")), None
    )
    step.out.clips.append((algorithm, value, step.line, call))
    return None  # configure() decides: gradient_clip_val, or configure_gradient_clipping


def configure(conv, clips: list) -> Hook | None:
    """The Trainer flags for one clip; the configure_gradient_clipping hook for several."""
    plan = conv.plan
    if len(clips) == 1 and clips[0][1] is not None:
        algorithm, value, line, _ = clips[0]
        conv.trainer_args["gradient_clip_val"] = code(conv.to_site(value, plan.scope, plan.binding))
        if algorithm == "value":
            conv.trainer_args["gradient_clip_algorithm"] = '"value"'
        conv.report.add("T2L108", line)
        return None
    if not clips:
        return None
    for *_, line, _call in clips:
        conv.report.add("T2L129", line)
    statements = [cst.SimpleStatementLine([cst.Expr(call)]) for *_, call in clips]
    params = ["optimizer", "gradient_clip_val=None", "gradient_clip_algorithm=None"]
    return Hook("configure_gradient_clipping", params, statements, plan.scope, plan.binding)


def norm_read(plan) -> bool:
    """`grad_norm = clip_grad_norm_(...)` in the batch loop, the norm kept under a name: Lightning clips after
    training_step returns, where the step's code could not read it, so the conversion takes manual optimization
    (backward, clipping, step and the reads in the script's order)."""
    return any(isinstance(node, cst.Assign) and plan.imports.call_name(node.value) in CLIP and not _thrown_away(node)
               for node in walk(plan.batch_loop.body))  # fmt: skip


def on_assign(step, line, assign: cst.Assign):
    """`_ = clip_grad_norm_(...)`: the returned norm thrown away, so the call is the clip alone."""
    if isinstance(assign.value, cst.Call) and _thrown_away(assign):
        return on_call(step, line, assign.value, None, None)
    return NO_MATCH


def _thrown_away(assign: cst.Assign) -> bool:
    """`_ = ...`: the value is not kept."""
    return all(isinstance(t.target, cst.Name) and t.target.value == "_" for t in assign.targets)
