"""`break` / `continue` / `return` in the batch loop.

A dry-run break (after the first batch, on the batch index, on a step counter) becomes a Trainer limit:
`limit_train_batches=` or `max_steps=` (T2L111). `continue` becomes `return None` (Lightning skips the step).
A break that ends the training on what the batch computed (`if loss.item() < tol: break`), last in the batch loop's
body, after the step, becomes `self.trainer.should_stop = True` (T2L148): Lightning takes the step training_step
returns the loss for, then ends the fit, as the loop ended after its step. Before the backward and the step (an LR
range test stopping when the smoothed loss explodes), it is `self.trainer.should_stop = True; return None`: no
step. That holds where the break ends the training: the batch loop is the only loop, or the epoch loop breaks right
after it on a flag set beside the break (`converged = True; break` ... `if converged: break`). A break on anything else, or an epoch loop with no bound,
has no Trainer equivalent (T2L911); a `return` in the batch loop ended training early and is kept, marked (T2L916).
A condition that calls something whose value changes while the loop runs (a clock: `time.time() - start > budget`)
is not a dry-run flag, though the loop writes none of it: it is read after every batch, never once at the start.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from converter.analysis import walk
from converter.convert.edits import parse_statements
from converter.convert.loops import batch_index
from converter.convert.step import NO_MATCH
from converter.marks import kept
from converter.names import PURE_BUILTINS, code, dotted, method_call, reads, writes

CODES = {
    "T2L111": "dry-run break -> Trainer(limit_train_batches=...) / max_epochs",
    "T2L148": "a break that ends the training, last in the batch loop -> self.trainer.should_stop = True",
    "T2L911": "a break condition that has no Trainer equivalent",
    "T2L916": "`return` inside the batch loop (an early end of training)",
}


def on_statement(step, line, small):
    if isinstance(small, cst.Break) and id(line) in step.ctx.ends_training:
        if step.ctx.stops_before_the_step:
            step.report.add("T2L148", step.at(line), "`break` before the step ends the training -> "
                            "self.trainer.should_stop = True; return None: Lightning takes no step, then stops")  # fmt: skip
            skipped = cst.SimpleStatementLine([cst.Return(cst.Name("None"))])  # Lightning takes no step for it
            return cst.FlattenSentinel([line.with_changes(body=[should_stop()]), skipped])
        step.report.add("T2L148", step.at(line), "`break` ends the training -> self.trainer.should_stop = True: "
                        "Lightning takes this batch's step, then stops")  # fmt: skip
        return should_stop()
    if isinstance(small, cst.Break):
        step.out.breaks.append((_conjunction(step.conditions), step.line))
        return None
    if isinstance(small, cst.Continue):
        return cst.Return(cst.Name("None"))  # Lightning skips the step when training_step returns None
    if isinstance(small, cst.Return) and step.ctx.kind == "train":
        return step.todo(line, "T2L916", "`return` in the batch loop ended training early; in training_step it "
                         "returns the loss: stop with self.trainer.should_stop = True (or Trainer(max_steps=...))")  # fmt: skip
    return NO_MATCH


def skipping(loop: cst.For | cst.While) -> set[int]:
    """The ids of the lines of the blocks in the loop's body that end in `continue` or `raise` (`if
    torch.isnan(loss): print("NaN loss, skipped"); continue`, the detection references' `print(f"Loss is {loss},
    stopping training"); sys.exit(1)`): the batch is skipped (`return None` in the hook) or the run ends, and a print
    there is a message about it, not a metric (metric_logging keeps it). Not inside nested loops: their `continue`
    is theirs."""
    found: set[int] = set()
    blocks = [loop.body]
    while blocks:
        body = list(getattr(blocks.pop(), "body", ()))
        if body and isinstance(last := body[-1], cst.SimpleStatementLine) and _leaves(last.body[-1]):
            found.update(id(line) for line in body)
        for statement in body:
            if isinstance(statement, (cst.If, cst.With, cst.Try)):
                blocks.extend(_blocks(statement))
    return found


def _leaves(small: cst.BaseSmallStatement) -> bool:
    """`continue`, `raise ...`, `sys.exit(...)` / `exit(...)`."""
    if isinstance(small, (cst.Continue, cst.Raise)):
        return True
    return isinstance(small, cst.Expr) and isinstance(small.value, cst.Call) and dotted(small.value.func) in EXITS


EXITS = ("sys.exit", "exit", "quit", "os._exit")


def _blocks(statement: cst.If | cst.With | cst.Try) -> list[cst.BaseSuite]:
    blocks = [statement.body]
    if isinstance(statement, cst.Try):
        blocks += [h.body for h in statement.handlers] + [b.body for b in (statement.orelse, statement.finalbody) if b]
    elif isinstance(statement, cst.If) and statement.orelse is not None:
        orelse = statement.orelse
        blocks += _blocks(orelse) if isinstance(orelse, cst.If) else [orelse.body]
    return blocks


def should_stop() -> cst.BaseSmallStatement:
    """`self.trainer.should_stop = True`: Lightning ends the fit after this batch (or this epoch's end)."""
    return parse_statements("self.trainer.should_stop = True\n")[0].body[0]  # type: ignore[attr-defined]


def limits(conv, out, context) -> None:
    """Each break of the training loop -> a Trainer limit, or a TODO on training_step."""
    plan = conv.plan
    for condition, line in out.breaks:
        names = reads(condition) if condition is not None else set()
        batch_idx = context.batch_idx
        fixed = condition is None or not (names & (writes(plan.batch_loop.body) | {batch_idx}) or changing(condition))
        if fixed or (batch_idx and _first_batch(condition, batch_idx)):
            invariant = [c for c in _conjuncts(condition) if not (batch_idx and batch_idx in reads(c))] if condition else []
            flag = " and ".join(code(conv.to_site(c, plan.scope, plan.binding)) for c in invariant)
            conv.trainer_args["limit_train_batches"] = f"1 if {flag} else 1.0" if flag else "1"
            conv.report.add("T2L111", line, f"break after the first batch -> limit_train_batches={conv.trainer_args['limit_train_batches']}")
        elif batch_idx and isinstance(condition, cst.Comparison) and dotted(condition.left) == batch_idx:
            bound = code(conv.to_site(condition.comparisons[0].comparator, plan.scope, plan.binding))
            limit = bound if isinstance(condition.comparisons[0].operator, cst.GreaterThanEqual) else f"{bound} + 1"
            conv.trainer_args["limit_train_batches"] = limit
            conv.report.add("T2L111", line, f"break on the batch index -> limit_train_batches={limit}")
        elif isinstance(condition, cst.Comparison) and dotted(condition.left) in context.counters:
            bound = code(conv.to_site(condition.comparisons[0].comparator, plan.scope, plan.binding))
            operator = condition.comparisons[0].operator
            conv.trainer_args["max_steps"] = bound if not isinstance(operator, cst.GreaterThan) else f"{bound} + 1"
            conv.report.add("T2L111", line, f"break on the step counter -> max_steps={conv.trainer_args['max_steps']}")
        else:
            reason = f"`break` on `{code(condition)}` (line {line}) dropped; stop with a Trainer limit or an EarlyStopping callback"
            conv.report.add("T2L911", line, reason)
            conv.hook_todos.setdefault("training_step", []).append(f"T2L911 {reason}")


@dataclass(frozen=True)
class Ending:
    """The block whose `break` ends the training: the ids of its lines, and whether it comes before the batch's
    backward and step (the loop broke before taking them: training_step returns None, and Lightning takes none)."""

    lines: frozenset[int] = frozenset()
    before_the_step: bool = False


def ending_training(conv, loop: cst.For | cst.While, counters: set[str]) -> Ending:
    """The block whose `break` ends the training, for `on_statement` and `metric_logging` (a print there runs once,
    as the training ends: it stays). The break is last in `if`s at the top of the batch loop's body, on a condition
    the loop computes (not only the batch index, nor a step counter: `limits` makes those Trainer limits), where no
    loop but the epoch loop goes on, and that breaks on a flag set beside it. The `if`s end the body (the step was
    taken), or come before any backward or step (an LR range test breaking when the loss explodes), the break
    alone on its line."""
    plan = conv.plan
    body = list(loop.body.body) if loop is plan.batch_loop and not loop.orelse else []
    updating = next((i for i, s in enumerate(body) if any(method_call(c, "backward", "step") for c in walk(s))), len(body))
    for at in [*range(min(updating, len(body) - 1)), len(body) - 1] if body else []:
        statement, before_the_step = body[at], at < len(body) - 1
        ifs = []
        while isinstance(statement, cst.If) and statement.orelse is None and isinstance(statement.body, cst.IndentedBlock):
            ifs.append(statement)
            statement = statement.body.body[-1]
        if not (ifs and isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[-1], cst.Break)):
            continue
        if before_the_step and len(statement.body) > 1:
            continue
        condition = _conjunction([i.test for i in ifs])
        names = reads(condition)  # what the loop computes besides the batch index, or a clock
        if not (names & writes(loop.body) - {batch_index(loop)} or changing(condition)) or names & (counters | conv.counters):
            continue
        beside = [*ifs[-1].body.body[:-1], statement]
        if plan.epoch_loop is not None and not _epoch_breaks_on_a_flag(plan, beside):
            continue
        return Ending(frozenset(id(line) for line in beside), before_the_step)
    return Ending()


def _epoch_breaks_on_a_flag(plan, beside: list[cst.BaseStatement]) -> bool:
    """The epoch loop holds the batch loop and, after it, `if flag: ... break` on a name `beside` sets to True (and
    nothing between them assigns); what the `if` runs before its break (`print("stopped: out of time")`) runs in
    on_train_epoch_end, which Lightning calls for the epoch the flag stopped."""
    flags = {dotted(small.targets[0].target) for line in beside if isinstance(line, cst.SimpleStatementLine)
             for small in line.body if isinstance(small, cst.Assign) and len(small.targets) == 1
             and dotted(small.value) == "True"}  # fmt: skip
    body = list(plan.epoch_loop.body.body)
    if plan.train_call is not None or plan.batch_loop not in body:
        return False
    for statement in body[body.index(plan.batch_loop) + 1 :]:
        if (isinstance(statement, cst.If) and statement.orelse is None and dotted(statement.test) in flags
                and isinstance(statement.body, cst.IndentedBlock)
                and isinstance(line := statement.body.body[-1], cst.SimpleStatementLine)
                and isinstance(line.body[-1], cst.Break)):  # fmt: skip
            return True
        if writes(statement) & flags:
            return False
    return False


PURE = PURE_BUILTINS | {"math.isnan", "math.isinf", "math.isfinite"}


def changing(condition: cst.BaseExpression) -> bool:
    """The condition calls something other than a pure builtin (`time.time()`, `os.path.exists("STOP")`): its value
    can change from one batch to the next though the loop writes nothing it reads."""
    return any(isinstance(c, cst.Call) and dotted(c.func) not in PURE for c in walk(condition))


def no_limit(conv, node: cst.CSTNode, reason: str, **where) -> None:
    """A loop exit (or a loop without a bound) that no Trainer flag expresses."""
    conv.todo("T2L911", node, reason, **where)


def _conjunction(conditions: list[cst.BaseExpression]) -> cst.BaseExpression | None:
    if not conditions:
        return None
    def grouped(condition: cst.BaseExpression) -> cst.BaseExpression:  # `a or b` inside `and`: in parentheses
        alternatives = isinstance(condition, cst.BooleanOperation) and isinstance(condition.operator, cst.Or)
        return condition.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()]) if alternatives else condition

    result = grouped(conditions[0])
    for condition in conditions[1:]:
        result = cst.BooleanOperation(result, cst.And(), grouped(condition))
    return result


def _first_batch(condition: cst.BaseExpression, batch_idx: str) -> bool:
    """True if the condition holds on the first batch: `batch_idx % k == 0`, `batch_idx == 0` (and parts that do
    not read the batch index: a condition without one, `completed_steps >= max_steps`, says nothing of the batch)."""
    if not any(batch_idx in reads(part) for part in _conjuncts(condition)):
        return False
    for part in _conjuncts(condition):
        if batch_idx in reads(part):
            text = code(part).replace(" ", "")
            if not (text.endswith("==0") and (text.startswith(f"{batch_idx}%") or text == f"{batch_idx}==0")):
                return False
    return True


def _conjuncts(condition: cst.BaseExpression) -> list[cst.BaseExpression]:
    if isinstance(condition, cst.BooleanOperation) and isinstance(condition.operator, cst.And):
        return [*_conjuncts(condition.left), *_conjuncts(condition.right)]
    return [condition]


def kept_exit(conv, line: int, stmt: cst.BaseStatement, reason: str) -> cst.BaseStatement:
    """A statement moved as it is, marked: its `break` / `continue` means something no hook can do."""
    return kept(conv.report, "T2L911", line, stmt, reason)
