"""Gradient clipping before the step.

One `clip_grad_norm_` / `clip_grad_value_` call over the optimizer's own parameters (`model.parameters()` both)
-> `Trainer(gradient_clip_val=..., gradient_clip_algorithm=...)`. Where the names do not tell that (BERT's `no_decay`
parameter groups), the call goes to `configure_gradient_clipping` as written: the flag clips the parameters in the
optimizer's group order, and a norm summed in another order has other bits once the clip acts.
Several (per module, or both kinds) -> `configure_gradient_clipping` with the calls as written: Lightning's flag
clips all parameters together, which is not what two calls over two parameter groups compute. Under manual
optimization the call stays between the user's manual_backward and step; a loop that reads the returned norm
(`grad_norm = clip_grad_norm_(...)`, logged or printed) is converted under manual optimization for that reason.

The flag clips the optimizer's parameters: a clip over a part of them (`model.encoder.parameters()`, or a module
the model is built from) goes to configure_gradient_clipping as written, and one over parameters the optimizer
does not hold (`clip_grad_norm_(model.parameters(), 1.0)` with an optimizer over `model.head.parameters()`) takes
manual optimization: Lightning's zero_grad zeroes only the optimizer's parameters, where the loop's
`model.zero_grad()` zeroed the whole model, so even the hook would clip another norm (`--verify` apart from the
second loss, after a clean exit).
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import walk
from converter.convert import plan as planning
from converter.convert.hook import Hook
from converter.convert.step import NO_MATCH
from converter.names import code, dotted, rename

CODES = {
    "T2L108": "gradient clipping before the step -> Trainer(gradient_clip_val=..., gradient_clip_algorithm=...)",
    "T2L129": "several gradient clipping calls, or one over a part of the optimizer's parameters -> "
              "configure_gradient_clipping, each call kept as written",
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
    """The Trainer flags for one clip of the optimizer's parameters; the configure_gradient_clipping hook for
    several, or for one of a part of them."""
    plan = conv.plan
    if len(clips) == 1 and clips[0][1] is not None and _clipped_part(plan, conv.stepped, clips[0][3]) == "same":
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


def clips_other_parameters(plan, stepped: list[str]) -> bool:
    """A clip in the batch loop over parameters the one optimizer does not hold, as far as names tell."""
    clips = [n for n in walk(plan.batch_loop.body) if isinstance(n, cst.Call) and plan.imports.call_name(n) in CLIP]
    return any(_clipped_part(plan, stepped, clip) == "other" for clip in clips)


def _clipped_part(plan, stepped: list[str], clip: cst.Call) -> str | None:
    """What a clip's `B.parameters()` is of the one optimizer's `A.parameters()` (in the site's names): "same" (B is
    A), "part" (`A.encoder`, `A[0]`, or a name A is built from: `A = nn.Sequential(encoder, decoder)`), "other";
    None where the names do not tell (another optimizer count, parameters not written `X.parameters()`)."""
    if len(stepped) != 1 or not clip.args:
        return None
    bound = plan.binding.get(stepped[0])
    built = planning.assigned_calls(plan.module, index=plan.index)
    optimizer = built.get(dotted(bound) if bound is not None else stepped[0], [])
    owner = _parameters_of(optimizer[0].args[0].value) if len(optimizer) == 1 and optimizer[0].args else None
    binding = dict(plan.binding) if plan.scope is not plan.site_scope else {}
    clipped = _parameters_of(rename(clip.args[0].value, binding))
    if owner is None or clipped is None:
        return None
    if clipped == owner:
        return "same"
    parts = {dotted(a.value) for call in built.get(owner, []) for a in call.args}  # `nn.Sequential(encoder, decoder)`
    return "part" if clipped.startswith((f"{owner}.", f"{owner}[")) or clipped in parts else "other"


def _parameters_of(params: cst.BaseExpression) -> str | None:
    """`A` for `A.parameters()`."""
    if (isinstance(params, cst.Call) and not params.args and isinstance(params.func, cst.Attribute)
            and params.func.attr.value == "parameters"):  # fmt: skip
        return code(params.func.value)
    return None


def on_assign(step, line, assign: cst.Assign):
    """`_ = clip_grad_norm_(...)`: the returned norm thrown away, so the call is the clip alone."""
    if isinstance(assign.value, cst.Call) and _thrown_away(assign):
        return on_call(step, line, assign.value, None, None)
    return NO_MATCH


def _thrown_away(assign: cst.Assign) -> bool:
    """`_ = ...`: the value is not kept."""
    return all(isinstance(t.target, cst.Name) and t.target.value == "_" for t in assign.targets)
