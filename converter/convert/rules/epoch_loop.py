"""The epoch loop -> `Trainer(max_epochs=...)`; the epoch variable -> `self.current_epoch` (+ its start).

`for epoch in range(start, stop)` gives `max_epochs=stop - start`, and so does `while epoch < stop` with `epoch += 1`
in the epoch body (outside the batch loop); `while step < max_steps` gives
`max_epochs=-1, max_steps=max_steps` with `step` a step counter; no loop at all (a train function called once)
gives `max_epochs=1`. An unbounded epoch loop runs with `max_epochs=-1` and a TODO to set a limit; over
`itertools.count(start)` its variable is still the epoch counted from `start`.

Lightning's max_steps counts optimizer steps, every optimizer's: where a batch steps k optimizers (a GAN, manual
optimization) and `step` counts batches, it is `max_steps=max_steps * k` and `step` is state the hooks keep
(`max_steps=max_steps` trained half the batches: a clean exit, `--verify` 12 losses for 24); where the number of
steps varies from batch to batch (a generator stepped every n_critic batches), no Trainer flag counts batches: the
TODO to set a limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from converter.analysis import walk
from converter.convert import plan as planning
from converter.convert.loops import unwrap_tqdm
from converter.convert.rules import breaks
from converter.names import code, dotted, loads, method_call, self_attr

NESTED = "T2L921"
CODES = {
    "T2L110": "epoch loop -> Trainer(max_epochs=...)",
    NESTED: "the training loop runs inside another loop (folds, runs, a sweep) whose passes share what it computes",
}


@dataclass
class EpochCount:
    """How the hooks see the epoch loop's counting."""

    variable: tuple[str, str] | None = None  # (the epoch variable, the offset expression of its start)
    increment: cst.BaseStatement | None = None  # a `while` loop's `epoch += 1`: dropped, the Trainer counts
    stop_unless: cst.BaseExpression | None = None  # a `while` test on closure evaluations training_step checks
    read_after_increment: dict[int, str] = field(default_factory=dict)  # statement id -> why it is marked (T2L909)

    @property
    def name(self) -> str:
        """The epoch variable's name ("" without one)."""
        return self.variable[0] if self.variable else ""


def picks_the_data_reason(outer_line: int, inner_line: int) -> str:
    """Why a training loop over the data set an outer loop picks is declined (`for loader in (a, b):`)."""
    return (f"the loop at line {outer_line} picks the data set the loop at line {inner_line} trains on: one pass "
            "over each, which a Trainer's epochs over one loader cannot express; `--to fabric` keeps both loops, or "
            "fit once per data set")  # fmt: skip


def repeats_the_data_reason(epoch_line: int, middle_line: int, batch_line: int) -> str:
    """Why a batch loop inside two loops is declined (PPO's epochs over each rollout): one loop of epochs is all a
    Trainer has, and the loop between would be lost."""
    return (f"the loop at line {middle_line} runs the batch loop at line {batch_line} again and again in each pass of "
            f"the loop at line {epoch_line} (epochs over each rollout, data repeated): a Trainer has one loop of "
            "epochs over one loader; `--to fabric` keeps the loops")  # fmt: skip


def nested_reason(outer_line: int, inner_line: int, carried: list[str]) -> str:
    """Why a training loop inside another loop is declined: its passes share state a Trainer per pass would not."""
    shared = ", ".join(f"`{n}`" for n in carried)
    return (f"the loop at line {inner_line} trains inside the loop at line {outer_line} (folds, runs, a sweep), and "
            f"what it computes carries from one pass to the next ({shared or 'more than one loop around it'}): a "
            "Trainer per pass would start each from the value before the outer loop; `--to fabric` keeps both "
            "loops, or move one pass into a function that fits its own Trainer and returns what the next needs")  # fmt: skip


def plan_epochs(conv) -> None:
    loop = conv.plan.epoch_loop
    if loop is None:
        conv.trainer_args["max_epochs"] = "1"
        return
    conv.report.add("T2L110", conv.plan.line(loop))
    if isinstance(loop, cst.For):
        loop_iter = unwrap_tqdm(_bar_of_the_loop(conv, loop.iter), conv.plan.imports)
        if conv.plan.imports.call_name(loop_iter) == "range" and isinstance(loop.target, cst.Name):
            args = [a.value for a in loop_iter.args]  # type: ignore[union-attr]
            start, stop = (args[0], args[1]) if len(args) >= 2 else (cst.Integer("0"), args[0])
            conv.epoch.variable = (loop.target.value, code(start))
            conv.trainer_args["max_epochs"] = _minus(stop, start)
            return
        if (start := _count_start(conv, loop_iter)) is not None and isinstance(loop.target, cst.Name):
            conv.epoch.variable = (loop.target.value, start)  # `itertools.count(1)`: counted, without an end
            conv.trainer_args["max_epochs"] = "-1"
            breaks.no_limit(conv, loop, "epoch loop over itertools.count(): max_epochs=-1, set a limit",
                            inside=loop, hook="training_step")
            return
    if isinstance(loop, cst.While) and isinstance(loop.test, cst.Comparison):
        left, (comparison,) = loop.test.left, loop.test.comparisons[:1]
        if isinstance(comparison.operator, (cst.LessThan, cst.LessThanEqual)) and _counts_evaluations(conv, left):
            # LBFGS calls the closure several times a step: a counter the closure increments counts evaluations,
            # and the loop ends after the step in which it passed the bound; so does Lightning once should_stop is set
            conv.trainer_args["max_epochs"] = "-1"
            conv.epoch.stop_unless = loop.test
            conv.report.add("T2L110", conv.plan.line(loop), f"`while {code(loop.test)}` counts closure evaluations, "
                            "several a step (LBFGS): max_epochs=-1, and training_step sets self.trainer.should_stop "
                            "once the condition fails; Lightning stops after that step, as the loop did")  # fmt: skip
            return
        increment = _epoch_increment(loop, left)
        if isinstance(comparison.operator, (cst.LessThan, cst.LessThanEqual)) and increment is not None:
            # `epoch += 1` once a pass, outside the batch loop: the counter counts epochs, not steps
            start = _start_value(conv, loop, code(left))
            bound = comparison.comparator
            if isinstance(comparison.operator, cst.LessThanEqual):
                bound = cst.parse_expression(f"{code(bound)} + 1")
            conv.epoch.variable = (code(left), code(start))
            conv.trainer_args["max_epochs"] = _minus(bound, start)
            conv.epoch.increment = increment
            name = code(left)
            conv.epoch.read_after_increment = {id(s): (
                f"reads `{name}` after `{name} += 1`, where the hooks' epoch is one behind it: read `{name} + 1` here "
                "(the epoch_counter normalizer moves the increment last, but not past a `break` or `continue`)")
                for s in _read_after(loop, increment, name)}  # fmt: skip
            return
        steps = steps_per_batch(conv)
        if isinstance(comparison.operator, (cst.LessThan, cst.LessThanEqual)) and steps is not None:
            conv.trainer_args["max_epochs"] = "-1"
            bound = code(comparison.comparator)
            bound = bound if isinstance(comparison.operator, cst.LessThan) else f"{bound} + 1"
            conv.trainer_args["max_steps"] = bound if steps == 1 else f"({bound}) * {steps}"
            if steps == 1:
                conv.counters.add(code(left))
            return
    conv.trainer_args["max_epochs"] = "-1"
    breaks.no_limit(conv, loop, "epoch loop without a range: max_epochs=-1, set a limit", inside=loop, hook="training_step")


def _count_start(conv, iterated: cst.BaseExpression) -> str | None:
    """The start of `itertools.count(start)` (a step of one), as code; None for anything else."""
    if conv.plan.imports.call_name(iterated) != "itertools.count":
        return None
    args = iterated.args  # type: ignore[attr-defined]
    if not args:
        return "0"
    if len(args) == 1 and (args[0].keyword is None or args[0].keyword.value == "start"):
        return code(args[0].value)
    return None


def _bar_of_the_loop(conv, iterated: cst.BaseExpression) -> cst.BaseExpression:
    """`pbar` of `pbar = tqdm(range(epochs)); for epoch in pbar:` -> the bar's call, when that is the name's only
    assignment where the loop runs (the bar is then read as the range it wraps, like `for epoch in tqdm(...)`)."""
    if not isinstance(iterated, cst.Name):
        return iterated
    plan = conv.plan
    calls = planning.assigned_calls(plan.site_scope, index=plan.index).get(iterated.value, [])
    if len(calls) == 1 and unwrap_tqdm(calls[0], plan.imports) is not calls[0]:
        return calls[0]
    return iterated


def steps_per_batch(conv) -> int | None:
    """The optimizer steps Lightning counts in global_step per batch: one, or under manual optimization the
    optimizers stepped, when each is stepped once a batch in the batch loop's own body (not under an `if`); None
    where that varies."""
    if len(conv.stepped) < 2:
        return 1
    body = conv.plan.batch_loop.body.body
    direct = [dotted(n.func.value) for s in body if isinstance(s, cst.SimpleStatementLine) for n in walk(s)
              if method_call(n, "step", on=set(conv.stepped))]  # fmt: skip
    anywhere = [dotted(n.func.value) for n in walk(conv.plan.batch_loop.body) if method_call(n, "step", on=set(conv.stepped))]
    return len(conv.stepped) if sorted(direct) == sorted(anywhere) == sorted(conv.stepped) else None


def _epoch_increment(loop: cst.While, counter: cst.BaseExpression) -> cst.BaseStatement | None:
    """The statement of the `while` body (not of a loop inside it) that adds 1 to a plain-name counter."""
    if not isinstance(counter, cst.Name) or not isinstance(loop.body, cst.IndentedBlock):
        return None
    return next((stmt for stmt in loop.body.body if adds_one(stmt, counter.value)), None)


def adds_one(node: cst.CSTNode, counter: str) -> bool:
    """`counter += 1` on a line of its own."""
    if not (isinstance(node, cst.SimpleStatementLine) and len(node.body) == 1):
        return False
    small = node.body[0]
    return (isinstance(small, cst.AugAssign) and isinstance(small.operator, cst.AddAssign)
            and code(small.target) == counter and code(small.value) == "1")  # fmt: skip


def _read_after(loop: cst.While, increment: cst.BaseStatement, counter: str) -> list[cst.BaseStatement]:
    """The statements after the increment, in the loop's own body, that read the counter."""
    body = list(loop.body.body)  # type: ignore[union-attr]
    later = body[body.index(increment) + 1 :]
    return [s for s in later if counter in loads(s)]


def _start_value(conv, loop: cst.While, counter: str) -> cst.BaseExpression:
    """The counter's value before the loop: the last `epoch = 0` (or `epoch, n = 0, 3`) in the blocks above it,
    else the name itself, which keeps that value since the hooks no longer increment it."""
    index, node, start = conv.plan.index, loop, None
    while start is None and (parent := index.parent(node)) is not None:
        if isinstance(parent, (cst.IndentedBlock, cst.Module)):
            for stmt in parent.body:
                if stmt is node:
                    break
                start = _assigned(stmt, counter) or start
        if isinstance(parent, (cst.FunctionDef, cst.Module)):
            break
        node = parent
    return start if start is not None else cst.Name(counter)


def _assigned(stmt: cst.CSTNode, name: str) -> cst.BaseExpression | None:
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1 or not isinstance(stmt.body[0], cst.Assign):
        return None
    assign = stmt.body[0]
    for target in assign.targets:
        if isinstance(target.target, cst.Name) and target.target.value == name:
            return assign.value
        if isinstance(target.target, cst.Tuple) and isinstance(assign.value, cst.Tuple):
            pairs = zip(target.target.elements, assign.value.elements)
            if len(target.target.elements) == len(assign.value.elements):
                found = [v.value for t, v in pairs if isinstance(t.value, cst.Name) and t.value.value == name]
                if found:
                    return found[0]
    return None


def _counts_evaluations(conv, counter: cst.BaseExpression) -> bool:
    """The `while` counter is incremented in the closure an LBFGS optimizer's step calls (neural style transfer's
    `run[0] += 1`), not once a step."""
    plan = conv.plan
    if plan.closure_step is None or plan.whole_batch is None or not isinstance(plan.closure_step.func, cst.Attribute):
        return False
    optimizer = code(plan.closure_step.func.value)
    built = [a.value for a in plan.index.of_kind(cst.Assign) if any(code(t.target) == optimizer for t in a.targets)]
    if not any(plan.imports.call_name(value) == "torch.optim.LBFGS" for value in built):
        return False
    return any(isinstance(n, cst.AugAssign) and code(n.target) == code(counter) for n in walk(plan.whole_batch))


def epoch_expression(offset: str) -> cst.BaseExpression:
    """What the epoch variable is inside a hook."""
    if offset == "0":
        return self_attr("current_epoch")
    return cst.parse_expression(f"self.current_epoch + {offset}")


def _minus(stop: cst.BaseExpression, start: cst.BaseExpression) -> str:
    start_text, stop_text = code(start), code(stop)
    if start_text == "0":
        return stop_text
    if isinstance(stop, cst.BinaryOperation) and isinstance(stop.operator, cst.Add) and code(stop.right) == start_text:
        return code(stop.left)
    return f"{stop_text} - {start_text}"
