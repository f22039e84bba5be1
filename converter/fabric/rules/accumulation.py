"""Gradient accumulation -> `with fabric.no_backward_sync(model, enabled=<not a stepping batch>):` around the
forward pass and the backward call, so that under DDP the gradients are averaged across processes only on the
batch whose `if` steps the optimizer, not on every accumulating one. On one device it is a no-op (Fabric returns a
null context), so `--verify` stays bitwise.

The shape: in one loop body, a statement that calls a set-up model, then the backward statement, then
`if <condition>: ... optimizer.step()` for that model's optimizer, with nothing in between rebinding what the
condition reads (`(i + 1) % accum == 0`, `... or (i + 1) == len(loader)`), so evaluating it before the forward
gives what the `if` sees, and nothing zeroing that optimizer's gradients before its step: a WGAN's critic loss
reaches the generator, whose `optimizer_G.zero_grad()` then drops those gradients before `if i % n_critic == 0:`
steps it (nothing accumulates). The `if` stays as written; the sync is skipped exactly when it will not step.
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import walk
from converter.fabric.script import Script, flag_if
from converter.names import code, dotted, method_call, reads, writes

CODES = {"T2L317": "gradient accumulation: forward and backward of the accumulating batches in "
                   "fabric.no_backward_sync(model, enabled=...), so DDP syncs gradients only when the optimizer steps",
         "T2L324": "DDP's gradient sync switched by hand (model.require_backward_grad_sync = sync) -> the statements up "
                   "to the backward in fabric.no_backward_sync(model, enabled=not sync)"}
SYNC = "require_backward_grad_sync"


def _negated(condition: cst.BaseExpression) -> str:
    """`not (c)`, written as `a != b` for `a == b`."""
    if isinstance(condition, cst.Comparison) and len(condition.comparisons) == 1 and isinstance(
            condition.comparisons[0].operator, cst.Equal):  # fmt: skip
        return f"{code(condition.left)} != {code(condition.comparisons[0].comparator)}"
    return f"not ({code(condition)})"


def _steps(node: cst.CSTNode, optimizer: str) -> bool:
    """`optimizer.step()` in it, or `scaler.step(optimizer)` (AMP)."""
    return any(isinstance(c, cst.Call) and (dotted(c.func) == f"{optimizer}.step" or (
        method_call(c, "step") and len(c.args) == 1 and dotted(c.args[0].value) == optimizer)) for c in walk(node))  # fmt: skip


def _stepping_if(statement: cst.CSTNode, optimizer: str) -> bool:
    """`if ...:` whose body steps the optimizer."""
    return isinstance(statement, cst.If) and statement.orelse is None and _steps(statement.body, optimizer)


def _zeroed_before_the_step(statements: list[cst.CSTNode], stepping: cst.If, optimizer: str, model: str) -> bool:
    """`optimizer.zero_grad()` (or `model.zero_grad()`) between the backward and the step: in the statements up to
    the stepping `if`, or in its body before the statement that steps."""
    inside = list(stepping.body.body)
    before_the_step = inside[: next(i for i, s in enumerate(inside) if _steps(s, optimizer))]
    zeroing = {f"{optimizer}.zero_grad", f"{model}.zero_grad"}
    return any(isinstance(c, cst.Call) and dotted(c.func) in zeroing for s in [*statements, *before_the_step] for c in walk(s))


def _model_called(statement: cst.CSTNode, models: dict[str, str]) -> str | None:
    return next((dotted(c.func) for c in walk(statement) if isinstance(c, cst.Call) and dotted(c.func) in models), None)


def apply(script: Script) -> None:
    models = script.optimizer_of
    if not models:
        return
    _sync_switched_by_hand(script)
    for call in script.index.of_kind(cst.Call):
        func = call.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "backward") or not script.fabric_reachable(call):
            continue
        backward = script.statement(call)
        block = script.index.parent(backward)
        body = list(getattr(block, "body", ()))
        if not isinstance(block, cst.IndentedBlock) or not isinstance(script.index.parent(block), (cst.For, cst.While)):
            continue
        at = body.index(backward)
        forward = next((i for i, s in enumerate(body[: at + 1]) if _model_called(s, models)), None)
        if forward is None:
            continue
        model = _model_called(body[forward], models)
        stepping = next((i for i in range(at + 1, len(body)) if _stepping_if(body[i], models[model])), None)
        if stepping is None:
            continue
        condition = body[stepping].test
        if reads(condition) & writes(*body[forward:stepping]):  # the condition must read the same before the forward
            continue
        if _zeroed_before_the_step(body[at + 1 : stepping], body[stepping], models[model], model):
            continue
        _wrap(script, block, body[forward : at + 1], f"{script.name}.no_backward_sync({model}, enabled={_negated(condition)})")
        script.report.add("T2L317", script.line(body[forward]))
        script.uses_fabric(body[forward])


def _sync_switched_by_hand(script: Script) -> None:
    """nanoGPT's micro-steps: `if ddp: model.require_backward_grad_sync = (micro_step == steps - 1)` before the
    forward. On a Fabric-wrapped model the attribute would land on the wrapper and sync every micro-step (other
    sums, not bitwise): the statements from there to the backward go in `fabric.no_backward_sync`, which sets it on
    the DDP module for them (a null context on one device, as the `if ddp:` was)."""
    for assign in script.index.of_kind(cst.Assign):
        target = assign.targets[0].target
        if not (isinstance(target, cst.Attribute) and target.attr.value == SYNC and dotted(target.value) in script.optimizer_of):
            continue
        switch = script.statement(assign)
        flagged = flag_if(script, switch)
        if flagged is not None and flagged.orelse is None and len(flagged.body.body) == 1:
            switch = flagged
        block = script.index.parent(switch)
        if not isinstance(block, cst.IndentedBlock) or not isinstance(script.index.parent(block), (cst.For, cst.While)):
            continue
        body = list(block.body)
        at = body.index(switch)
        backward = next((i for i in range(at + 1, len(body)) if any(method_call(c, "backward") for c in walk(body[i]))), None)
        if backward is None or not script.fabric_reachable(switch):
            continue
        model = dotted(target.value)
        _wrap(script, block, body[at + 1 : backward + 1], f"{script.name}.no_backward_sync({model}, enabled={_negated(assign.value)})")
        script.drop(switch)
        script.report.add("T2L324", script.line(switch))
        script.uses_fabric(body[at + 1])


def _wrap(script: Script, block: cst.IndentedBlock, statements: list[cst.CSTNode], context: str) -> None:
    """Put `statements` (consecutive in `block`) in `with <context>:`, as the other rules left them."""
    updated_of: dict[int, cst.CSTNode] = {}

    def remember(key: int):  # each statement as the other rules' edits leave it
        return lambda updated: updated_of.setdefault(key, updated)

    for statement in statements:
        script.replace(statement, remember(id(statement)))

    def wrap(updated_block: cst.IndentedBlock) -> cst.IndentedBlock:
        mine = [updated_of[id(s)] for s in statements if isinstance(updated_of.get(id(s)), cst.CSTNode)]
        body = list(updated_block.body)
        at = [i for i, s in enumerate(body) if any(s is m for m in mine)]  # (another rule may have dropped some)
        if not at:
            return updated_block
        inner = body[at[0] : at[-1] + 1]  # with any line another rule put after one of them
        header = cst.parse_statement(f"with {context}:\n    pass\n")
        wrapped = header.with_changes(body=header.body.with_changes(body=[inner[0].with_changes(leading_lines=[]),
                                      *inner[1:]]), leading_lines=inner[0].leading_lines)  # fmt: skip
        return updated_block.with_changes(body=[*body[: at[0]], wrapped, *body[at[-1] + 1 :]])

    script.replace(block, wrap)
