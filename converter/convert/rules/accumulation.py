"""Gradient accumulation by hand -> `Trainer(accumulate_grad_batches=K)`; other conditional optimizer steps.

The shape real scripts use:

    loss = criterion(model(x), y) / accum          # or `loss = loss / accum`, `loss /= accum`
    loss.backward()
    if (i + 1) % accum == 0:                        # optionally `or (i + 1) == len(loader)`
        optimizer.step()
        optimizer.zero_grad()

Lightning's automatic optimization divides the loss by `accumulate_grad_batches` itself before `backward`, so
the converted `training_step` returns the loss *before* the division: the tensor given to `backward` is then
`loss / accum` on both sides, bit for bit. Lightning also steps on the last batch of every epoch; the plain loop
does so only with the `or ... len(loader)` clause (without it, the converted run differs when the epoch length is
not a multiple of `accum`, which the finding says).

A step under a condition that is not accumulation: `if optimizer is not None:` is dropped (the optimizer
always exists under Lightning); with manual optimization (two optimizers) the condition is kept as written, an
accumulation window too (Lightning raises a MisconfigurationException for accumulate_grad_batches under manual
optimization: the window by hand is what it asks for).
A guard around backward and step that ends the batch (`if torch.isfinite(loss): loss.backward(); optimizer.step()`,
a batch skipped when its loss is bad) becomes `if not (<condition>): return None` (T2L141): Lightning then zeroes
the gradients (to None), skips backward, and the optimizer leaves every parameter without a gradient as it is,
as the skipped step did. Any other condition (`if epoch > 0:`, `if step % K == 0 or <last batch>:`, a window whose
loss is not divided by K) has no Trainer flag: `unflagged` sends the loop to manual optimization, which keeps the
condition as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from converter.analysis import walk
from converter.convert.edits import parse_statements
from converter.convert.loops import batch_index
from converter.convert.rules import leftover_window
from converter.convert.step import NO_MATCH
from converter.names import code, dotted, method_call, reads

CODES = {
    "T2L125": "gradient accumulation by hand -> Trainer(accumulate_grad_batches=...)",
    "T2L926": "accumulation that does not step on an epoch's last batch: exact when the batches divide into windows",
    "T2L927": "code after the step inside the accumulation `if`: in training_step it runs every batch, before the step",
    "T2L126": "`if <optimizer> is not None:` around the step removed: the optimizer always exists",
    "T2L141": "backward and step under a guard that ends the batch -> `if not (<guard>): return None` (batch skipped)",
    "T2L919": "gradient accumulation over a micro-step loop: the optimizer steps in the loop around it",
    "T2L922": "gradient accumulation with a scheduler stepped every batch: Lightning steps it with the optimizer",
}


def micro_steps(conv) -> str | None:
    """`for micro_step in range(K): ... loss.backward()` inside an iteration loop that steps the optimizer after
    it (nanoGPT's shape): the batch loop holds no step because it accumulates; declined with what it is, which
    normalize/micro_steps answers where it can merge the loops (T2L174)."""
    plan = conv.plan
    node = plan.index.parent(plan.batch_loop)
    while node is not None and node is not plan.scope:
        if isinstance(node, (cst.For, cst.While)):
            outer = [stepped for c in walk(node) if (stepped := _stepped_optimizer(conv, c))
                     and not plan.index.contains(plan.batch_loop, c)]  # fmt: skip
            if outer:
                return conv.unsupported(plan.batch_loop, "T2L919", f"gradients accumulate over this micro-step loop "
                                        f"and {outer[0]} runs in the loop around it, and the two loops cannot be made "
                                        "one loop over micro-batches (T2L174: a `break` or `continue` in the "
                                        "micro-steps, a `continue` before them, K or a loop variable bound in the "
                                        "loop, a range with a step): "
                                        "make the micro-step loop the batch loop and step every K batches "
                                        "(`if (i + 1) % K == 0:`)")  # fmt: skip
        node = plan.index.parent(node)
    return None


def _stepped_optimizer(conv, node: cst.CSTNode) -> str | None:
    """`optimizer.step()`, or `scaler.step(optimizer)` (nanoGPT's GradScaler): the call as the script writes it."""
    if not (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value == "step"):
        return None
    owner = dotted(node.func.value)
    if owner in conv.kinds["optimizers"] or (owner in conv.kinds["scalers"] and node.args
                                             and dotted(node.args[0].value) in conv.kinds["optimizers"]):  # fmt: skip
        return f"`{code(node)}`"
    return None


@dataclass
class Accumulation:
    condition: cst.If  # the `if` around the step: unwrapped
    every: cst.BaseExpression  # K
    steps_on_last_batch: bool
    leftover_step: cst.If | None = None  # after the batch loop, the step of a partial last window (leftover_window)
    removed: set[int] = field(default_factory=set)  # ids of `loss = loss / K` statements (the step undoes others)
    divided: dict[str, cst.CSTNode] = field(default_factory=dict)  # loss name -> the statement that divides it


@dataclass
class StepConditions:
    accumulation: Accumulation | None = None
    unwrapped: set[int] = field(default_factory=set)  # ids of `if`s around steps to replace by their body
    guards: set[int] = field(default_factory=set)  # ... and of those that skip the batch: a `return None` first
    unflagged: cst.If | None = None  # an `if` around the step no Trainer flag expresses (automatic optimization)


def decline(conv) -> str | None:
    """Read the `if`s around the optimizer steps (conv.conditions); decline a condition Lightning cannot express."""
    loop, plan = conv.plan.batch_loop, conv.plan
    _, counters = conv.accumulated(loop, plan.scope)
    found = find(loop, conv.stepped, batch_index(loop), counters | conv.counters, loss_names(loop), conv.manual,
                 conv.kinds["scalers"])  # fmt: skip
    conv.conditions = found
    if found.accumulation is not None:
        every_batch = [c for c in walk(loop.body) if isinstance(c, cst.Call) and isinstance(c.func, cst.Attribute)
                       and c.func.attr.value == "step" and dotted(c.func.value) in conv.kinds["schedulers"]
                       and not plan.index.contains(found.accumulation.condition, c)]  # fmt: skip
        if every_batch:  # "interval": "step" would step it once per K batches, K times less often than the loop
            owner = dotted(every_batch[0].func.value)  # type: ignore[attr-defined]
            return conv.unsupported(plan.index.statement(every_batch[0]), "T2L922", f"`{owner}.step()` runs every batch while the optimizer "
                                    f"steps every `{code(found.accumulation.every)}`: Lightning steps a scheduler with "
                                    "its optimizer (\"interval\": \"step\"), so it would run that many times less often; "
                                    "step it inside the `if` to convert")  # fmt: skip
        every = conv.to_site(found.accumulation.every, plan.scope, plan.binding)
        conv.trainer_args["accumulate_grad_batches"] = code(every)
        line = plan.line(found.accumulation.condition)
        conv.report.add("T2L125", line, f"step every `{code(every)}` batches -> accumulate_grad_batches={code(every)}")
        if not found.accumulation.steps_on_last_batch:
            found.accumulation.leftover_step = leftover_window.step_after_the_loop(conv, found.accumulation.every)
        if not found.accumulation.steps_on_last_batch and found.accumulation.leftover_step is None:
            reason = (f"exact when an epoch's batch count is a multiple of `{code(every)}`: Lightning also steps on an "
                      "epoch's last batch, where the loop left a partial window unstepped (carried into the next epoch, or zeroed); "
                      f"or step the loop on the last batch too (`or (i + 1) == len(loader)`)")  # fmt: skip
            conv.report.add("T2L926", line, reason)
            conv.hook_todos.setdefault("training_step", []).append(f"T2L926 {reason}")
    for node in plan.index.of_kind(cst.If):
        if id(node) in found.unwrapped:
            conv.report.add("T2L126", plan.line(node))
        if id(node) in found.guards:
            conv.report.add("T2L141", plan.line(node), f"backward and step under `if {code(node.test)}` -> "
                            f"`if not ({code(node.test)}): return None`: Lightning skips that batch's backward and "
                            "step, and the optimizer leaves parameters without gradients as they are")  # fmt: skip
    return None


def unflagged(plan, stepped: list[str], scalers: set[str]) -> bool:
    """An optimizer step under a condition no Trainer flag expresses (`if epoch > 0:`, HF's `if step % K == 0 or
    step == len(loader) - 1:`), or an accumulation window whose loss is not divided (Lightning's would be):
    automatic optimization has no flag for it; manual optimization keeps the condition as written."""
    loop = plan.batch_loop
    counters = {dotted(n.target) for n in walk(loop.body) if isinstance(n, cst.AugAssign)} - {None}
    found = find(loop, stepped, batch_index(loop), counters, loss_names(loop), None, scalers)
    return found.unflagged is not None


def unwrapped(conditions: StepConditions) -> set[int]:
    """Ids of the `if`s the training step replaces by their body."""
    accumulated = {id(conditions.accumulation.condition)} if conditions.accumulation else set()
    return conditions.unwrapped | conditions.guards | accumulated


def undivided(step, expr: cst.BaseExpression) -> cst.BaseExpression:
    """`loss / accum` -> `loss` under accumulate_grad_batches (Lightning divides by it before backward)."""
    every = step.ctx.accumulate_every
    if every and divides(expr, every):
        return expr.left  # type: ignore[attr-defined]
    return expr


def on_assign(step, line, assign: cst.Assign):
    if not step.ctx.accumulate_every or len(assign.targets) != 1:
        return NO_MATCH
    value = undivided(step, assign.value)
    return NO_MATCH if value is assign.value else assign.with_changes(value=value)


def on_if(step, original: cst.If, updated: cst.If):
    if id(original) in step.ctx.guards:  # the batch is skipped when the guard fails: training_step returns None
        test = code(original.test)
        negated = f"not {test}" if isinstance(original.test, (cst.Call, cst.Name, cst.Attribute)) else f"not ({test})"
        return cst.FlattenSentinel([*parse_statements(f"if {negated}:\n    return None\n"), *updated.body.body])  # type: ignore[union-attr]
    if id(original) in step.ctx.unwrap:
        return cst.FlattenSentinel(updated.body.body)  # type: ignore[union-attr]
    return NO_MATCH


def find(loop: cst.For | cst.While, optimizers: list[str], batch_idx: str | None, counters: set[str],
         losses: set[str], manual: bool, scalers: set[str] = frozenset()) -> StepConditions:  # fmt: skip
    """Read the `if` statements around optimizer steps in a batch loop body."""
    found = StepConditions()
    body = list(loop.body.body)  # type: ignore[union-attr]
    for stmt in body:
        guarded = isinstance(stmt, cst.If) and all(_step_calls(stmt, optimizers)) and not _not_none(stmt.test, optimizers)
        if guarded and not manual:
            if stmt is not body[-1] or stmt.orelse is not None:  # code after it or an `else`: no `return None`
                found.unflagged = stmt
                return found
            found.guards.add(id(stmt))
            continue
        if not isinstance(stmt, cst.If) or not _steps(stmt, optimizers, scalers):
            continue
        # under manual optimization the window stays as written: Lightning refuses accumulate_grad_batches there
        every = _every(stmt.test, {batch_idx, *counters} - {None}) if not manual else None
        if every is not None:
            accumulation = Accumulation(stmt, every[0], every[1])
            if not _find_division(loop, accumulation, losses):  # Lightning's window would divide the loss by K
                found.unflagged = stmt
                return found
            found.accumulation = accumulation
        elif _not_none(stmt.test, optimizers) and stmt.orelse is None:
            found.unwrapped.add(id(stmt))
        elif not manual:
            found.unflagged = stmt
            return found
    return found


def _steps(stmt: cst.If, optimizers: list[str], scalers: set[str]) -> bool:
    """An `if` whose body steps an optimizer (`optimizer.step()`, or AMP's `scaler.step(optimizer)`) and calls no
    backward."""
    steps, calls_backward = _step_calls(stmt, optimizers, scalers)
    return steps and not calls_backward


def _step_calls(stmt: cst.If, optimizers: list[str], scalers: set[str] = frozenset()) -> tuple[bool, bool]:
    """(the `if`'s body steps an optimizer, it calls backward): both, and the batch's update happens only under it."""
    calls = [n for n in walk(stmt.body) if isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute)]
    methods = {(dotted(n.func.value), n.func.attr.value) for n in calls}
    methods |= {(dotted(n.args[0].value), "step") for n in calls
                if n.func.attr.value == "step" and dotted(n.func.value) in scalers and n.args}  # fmt: skip
    return any((o, "step") in methods for o in optimizers), any(m == "backward" for _, m in methods)


def _every(test: cst.BaseExpression, indices: set[str]) -> tuple[cst.BaseExpression, bool] | None:
    """`(i + 1) % K == 0` [or `(i + 1) == len(x)` / `i == len(x) - 1`] -> (K, steps on the last batch)."""
    last = False
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.Or):
        if not _is_last_batch(test.right, indices):
            return None
        test, last = test.left, True
    if not (isinstance(test, cst.Comparison) and len(test.comparisons) == 1):
        return None
    comparison = test.comparisons[0]
    if not (isinstance(comparison.operator, cst.Equal) and code(comparison.comparator) == "0"):
        return None
    left = test.left
    if not (isinstance(left, cst.BinaryOperation) and isinstance(left.operator, cst.Modulo)):
        return None
    counted = left.left
    if not (isinstance(counted, cst.BinaryOperation) and isinstance(counted.operator, cst.Add) and code(counted.right) == "1"):
        return None
    if dotted(counted.left) not in indices:
        return None
    return left.right, last


def _is_last_batch(test: cst.BaseExpression, indices: set[str]) -> bool:
    text = code(test).replace(" ", "")
    return any(text.startswith((f"({i}+1)==len(", f"{i}+1==len(", f"{i}==len(")) for i in indices)


def _find_division(loop, accumulation: Accumulation, losses: set[str]) -> bool:
    """Find where the loss is divided by K (the step rewriter undoes `x / K` structurally; a separate
    `loss = loss / K` or `loss /= K` statement is removed, and so is `if K > 1: loss = loss / K`, the BERT
    fine-tuning scripts' form: dividing by 1 changes no bit)."""
    every = code(accumulation.every)
    for stmt in _with_bodies(loop.body.body):
        if isinstance(stmt, cst.If) and _when_accumulating(stmt.test, every) and stmt.orelse is None:
            lines = stmt.body.body if isinstance(stmt.body, cst.IndentedBlock) else []
            if len(lines) == 1 and _division(lines[0], every, losses) == "removable":
                accumulation.removed.add(id(stmt))
                accumulation.divided[_target(lines[0])] = stmt
                return True
        found = _division(stmt, every, losses)
        if found == "removable":
            accumulation.removed.add(id(stmt))
        if found and (target := _target(stmt)):
            accumulation.divided[target] = stmt
        if found:
            return True
    return False


def _target(stmt: cst.CSTNode) -> str:
    """The name a division statement assigns (`loss` of `loss = loss / K`); "" for `(loss / K).backward()`."""
    small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) else None
    if isinstance(small, cst.AugAssign):
        return dotted(small.target) or ""
    if isinstance(small, cst.Assign):
        return dotted(small.targets[0].target) or ""
    return ""


def on_expression_call(step, call: cst.Call, owner: str | None, method: str | None):
    """`loss.item()` after `loss = loss / K` -> `(loss / K).item()`: training_step's loss is not divided any more
    (Lightning divides what it is returned), and what the loop read after the division was (`tr_loss +=
    loss.item()`, the BERT scripts' running loss)."""
    line = step.ctx.divided.get(owner or "")
    if line is None or method == "backward" or step.line <= line:
        return NO_MATCH
    divided = cst.BinaryOperation(call.func.value, cst.Divide(), cst.parse_expression(step.ctx.accumulate_every),  # type: ignore[attr-defined]
                                  lpar=[cst.LeftParen()], rpar=[cst.RightParen()])  # fmt: skip
    return call.with_changes(func=call.func.with_changes(value=divided))  # type: ignore[attr-defined]


def undivided_losses(conv) -> dict[str, str]:
    """Each loss the loop divided by K (`loss = loss / K`) that training_step returns undivided -> K, as code."""
    accumulated = conv.conditions.accumulation if conv.conditions else None
    return {name: code(accumulated.every) for name in accumulated.divided if name} if accumulated else {}


def divided_lines(conv, accumulated: Accumulation | None) -> dict[str, int]:
    return {name: conv.plan.line(stmt) for name, stmt in accumulated.divided.items()} if accumulated else {}


def _division(stmt: cst.CSTNode, every: str, losses: set[str]) -> str | None:
    """"removable" for `loss = loss / K` or `loss /= K`; "in place" for `loss = f(x) / K` (f(x) stays) and
    `(loss / K).backward()`; None when the statement divides no loss by K."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    if isinstance(small, cst.AugAssign) and isinstance(small.operator, cst.DivideAssign):
        return "removable" if dotted(small.target) in losses and code(small.value) == every else None
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and dotted(small.targets[0].target) in losses:
        if divides(small.value, every):
            return "removable" if dotted(small.value.left) == dotted(small.targets[0].target) else "in place"  # type: ignore[attr-defined]
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        func = small.value.func
        if isinstance(func, cst.Attribute) and func.attr.value == "backward" and divides(func.value, every):
            return "in place"  # (loss / K).backward(): the step returns loss
    return None


def _when_accumulating(test: cst.BaseExpression, every: str) -> bool:
    """`K > 1` (or `K != 1`, `K >= 2`)."""
    if not (isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and code(test.left) == every):
        return False
    operator, bound = test.comparisons[0].operator, test.comparisons[0].comparator
    if not isinstance(bound, cst.Integer):
        return False
    return (isinstance(operator, (cst.GreaterThan, cst.NotEqual)) and bound.value == "1") or (
        isinstance(operator, cst.GreaterThanEqual) and bound.value == "2")


def _with_bodies(statements) -> list[cst.CSTNode]:
    """The statements, with those inside `with` blocks (`with torch.autocast(...): loss = f(x) / K`) in place."""
    found: list[cst.CSTNode] = []
    for stmt in statements:
        found.append(stmt)
        if isinstance(stmt, cst.With) and isinstance(stmt.body, cst.IndentedBlock):
            found += _with_bodies(stmt.body.body)
    return found


def divides(expr: cst.BaseExpression, every: str) -> bool:
    """`x / K` with K written as `every`."""
    return isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Divide) and code(expr.right) == every


def _not_none(test: cst.BaseExpression, optimizers: list[str]) -> bool:
    """`optimizer is not None` (or `optimizer`) for an optimizer stepped in the block."""
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        comparison = test.comparisons[0]
        return (
            isinstance(comparison.operator, cst.IsNot) and code(comparison.comparator) == "None"
            and dotted(test.left) in optimizers
        )  # fmt: skip
    return dotted(test) in optimizers


def loss_names(loop) -> set[str]:
    """Names given to `.backward()` in the loop body (the losses)."""
    names: set[str] = set()
    for node in walk(loop.body):
        if method_call(node, "backward"):
            names |= reads(node.func.value)
    return names


def late(conv) -> tuple[cst.If, list[cst.BaseStatement]] | None:
    """The accumulation's `if` and its statements besides the window's own work (step, zero_grad, clipping, the
    step counter): a logging block every N steps, a checkpoint save. Unwrapped, they would run every batch in
    training_step, before Lightning's step, where the loop ran them after it once a window."""
    accumulation = conv.conditions.accumulation if conv.conditions else None
    if accumulation is None or not isinstance(accumulation.condition.body, cst.IndentedBlock):
        return None
    statements = [s for s in accumulation.condition.body.body if not _bookkeeping(s)]
    return (accumulation.condition, statements) if statements else None


def late_marks(conv) -> dict[int, tuple[str, str]]:
    """The late statements (`late`) that cannot move to on_train_batch_end: kept as written, marked (T2L927), the
    first carrying the TODO."""
    found = late(conv)
    if found is None:
        return {}
    condition, statements = found
    test = code(condition.test)
    reason = (f"it ran after the optimizer step, once every `{code(conv.conditions.accumulation.every)}` batches; here "
              f"it runs every batch, before Lightning's step: move it to on_train_batch_end under `if {test}:`")  # fmt: skip
    conv.report.add("T2L927", conv.plan.line(statements[0]), reason)
    return {id(s): ("T2L927", reason) if s is statements[0] else ("", "") for s in statements}


def _bookkeeping(stmt: cst.BaseStatement) -> bool:
    """A line of the window's own work: a step, zero_grad, clipping, a scaler's unscale/update, a counter's `+= 1`."""
    if not isinstance(stmt, cst.SimpleStatementLine):
        return False
    for small in stmt.body:
        if isinstance(small, cst.AugAssign) and isinstance(small.value, cst.Integer) and small.value.value == "1":
            continue
        call = small.value if isinstance(small, cst.Expr) else None
        name = dotted(call.func) if isinstance(call, cst.Call) else None
        if name and name.rsplit(".", 1)[-1] in ("step", "zero_grad", "update", "unscale_", "clip_grad_norm_", "clip_grad_value_"):
            continue
        return False
    return True
