"""Learning-rate schedulers: built in configure_optimizers, stepped by Lightning.

A scheduler stepped every batch gets `"interval": "step"`; one stepped once an epoch (in the epoch loop, or
after the batch loop) the default epoch interval. `ReduceLROnPlateau.step(metric)` needs the key of a logged
metric as `"monitor"`: found among what the validation logs; a plateau stepped on anything else (a test loss the
epoch computes, a best value) is kept at epoch end as written, where it reads what the loop read. (T2L914, the TODO
that asked for a monitor key, is retired: no code is reused.)
"""

from __future__ import annotations

import libcst as cst

from converter import torch_names
from converter.analysis import in_code_or_called_functions, walk
from converter.convert import plan as planning
from converter.convert.edits import parse_statements
from converter.convert.hook import Hook
from converter.convert.step import NO_MATCH
from converter.names import code, dotted

CODES = {
    "T2L107": "learning-rate scheduler moved to configure_optimizers",
    "T2L160": "a scheduler stepped every batch before the optimizer -> stepped in training_step, lr_scheduler_step a no-op",
    "T2L918": "a scheduler stepped under a condition (Lightning steps a configured scheduler every interval)",
}


def on_call(step, line, call, owner, method):
    if method != "step" or owner not in step.ctx.schedulers:
        return NO_MATCH
    if step.ctx.manual:  # Lightning steps no scheduler under manual optimization: the loop's own step stays
        step.report.add("T2L107", step.line, f"`{owner}.step()` in the batch loop: kept in training_step as written "
                        "(under manual optimization Lightning steps no scheduler)")  # fmt: skip
        step.out.step_schedulers.add(owner)  # built in configure_optimizers all the same; the hooks read it there
        return NO_MATCH
    phase = step.ctx.phase[0] if step.ctx.phase else None
    if any(id(i) not in step.ctx.unwrap and not _every_epoch(i.test, owner, phase) for i in step.ifs):
        return step.todo(line, "T2L918", f"`{owner}.step()` under a condition each batch (a warm-up for the first "
                         "epochs, say): kept as written, on the optimizer configure_optimizers returns, not returned "
                         "itself (Lightning would step it every batch); to have Lightning step it, return it and "
                         "override lr_scheduler_step with the condition")  # fmt: skip
    step.out.step_schedulers.add(owner)
    if not step.out.optimizer_order and step.ifs:  # in an accumulation window: training_step runs every batch
        return step.todo(line, "T2L918", f"`{owner}.step()` before the optimizer's step, in its accumulation window: "
                         "Lightning steps a configured scheduler after the optimizer, one rate later; move it after "
                         "the optimizer's step (torch's order) and convert again")  # fmt: skip
    if not step.out.optimizer_order:  # stepped before the optimizer: Lightning would step it after, one rate later
        step.report.add("T2L160", step.line, f"`{owner}.step()` before the optimizer's step: kept in training_step, "
                        "which runs before Lightning's optimizer step, and lr_scheduler_step leaves it to it")  # fmt: skip
        step.out.early_schedulers.add(owner)
        return NO_MATCH
    step.report.add("T2L107", step.line, f"`{owner}.step()` every batch -> \"interval\": \"step\"")
    return None


def epoch_schedulers(conv) -> list[tuple[str, cst.Call]]:
    """Schedulers stepped once an epoch: in the epoch loop at the site, or after the batch loop."""
    plan, found = conv.plan, []
    for region in (plan.epoch_loop, plan.scope if plan.scope is not plan.site_scope else None):
        if region is None:
            continue
        for call in planning.calls_in(region):
            owner = dotted(call.func.value) if isinstance(call.func, cst.Attribute) else None
            if plan.index.contains(plan.batch_loop, call):
                continue  # stepped each batch: on_call's
            if owner in conv.kinds["schedulers"] and call.func.attr.value == "step" and owner not in conv.train_outcome.step_schedulers:  # type: ignore[union-attr]
                anchor = plan.train_call if region is plan.epoch_loop and plan.train_call is not None else plan.batch_loop
                if plan.line(call) < plan.line(anchor):  # the pre-1.1 order: step, then train the epoch
                    conv.report.add("T2L107", plan.line(call), f"`{owner}.step()` before each epoch's training: kept "
                                    "at the epoch's start as written, on the optimizer configure_optimizers returns "
                                    "(Lightning steps a returned scheduler after the epoch: every epoch would train "
                                    "at the next epoch's rate)")  # fmt: skip
                    continue
                guards = _conditions(conv, call, region)
                if guards and not conv.manual and all(_none_test_of(test, owner) for test in guards):
                    conv.optional_schedulers.add(owner)  # `if scheduler is not None:`, and it may be: returned if it is
                elif guards:  # stepped only sometimes: Lightning would step it every epoch. The epoch's end runs
                    # the condition and the step as the loop did, on the optimizer Lightning steps: a note, no TODO
                    conv.report.add("T2L107", plan.line(call), f"`{owner}.step()` under a condition: kept at epoch "
                                    "end as written, on the optimizer configure_optimizers returns (built beside the "
                                    "loop for it), not returned itself (Lightning would step it every epoch); to have "
                                    "Lightning step it, return it and override lr_scheduler_step with the condition")  # fmt: skip
                    continue
                if not call.args and not conv.manual and _rate_read_before(conv, region, anchor, call):
                    conv.report.add("T2L107", plan.line(call), f"`{owner}.step()` after code that reads the learning "
                                    "rate: kept at epoch end as written, after it, on the optimizer configure_optimizers "
                                    "returns (Lightning steps a returned scheduler when the epoch's last batch is done, "
                                    "before on_train_epoch_end: that code would read the next epoch's rate)")  # fmt: skip
                    continue
                if call.args and not _monitor_key(conv, call.args[0].value):
                    conv.report.add("T2L107", plan.line(call), f"`{owner}.step({code(call.args[0].value)})` on a value "
                                    "the epoch computes, not a logged metric: kept at epoch end as written, on the "
                                    "optimizer configure_optimizers returns (Lightning steps a returned "
                                    "ReduceLROnPlateau on a logged metric, after on_train_epoch_end)")  # fmt: skip
                    continue
                if all(owner != o for o, _ in found):
                    found.append((owner, call))
    return found


def _rate_read_before(conv, region: cst.CSTNode, anchor: cst.CSTNode, call: cst.Call) -> bool:
    """Whether code of the epoch after its training and before the scheduler's step reads the learning rate
    (`optimizer.param_groups[0]["lr"]`, `scheduler.get_last_lr()`, or a function of the script that does: a print of
    the epoch's rate)."""
    plan = conv.plan
    after, before = plan.line(anchor), plan.line(call)
    body = region.body.body if isinstance(region.body, cst.IndentedBlock) else []  # type: ignore[attr-defined]
    between = [s for s in body if after < plan.line(s) < before and not plan.index.contains(s, anchor)]
    return any(in_code_or_called_functions(plan.module, s, _reads_a_rate) for s in between)


def _reads_a_rate(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Attribute) and node.attr.value in ("param_groups", "get_last_lr", "get_lr", "_last_lr")


def _conditions(conv, call: cst.Call, region: cst.CSTNode) -> list[cst.BaseExpression]:
    """The tests of the `if`s around a step inside the epoch loop (or train function) that do not hold every epoch:
    not `if phase == "train":` (the phase loop's training pass) nor `if scheduler is not None:` where it exists."""
    owner = dotted(call.func.value)  # type: ignore[attr-defined]
    phase = conv.plan.phase[0] if conv.plan.phase else None
    return [node.test for node in conv.plan.index.ancestors(call) if isinstance(node, cst.If)
            and conv.plan.index.contains(region, node) and not _every_epoch(conv, node.test, owner, phase)]  # fmt: skip


def _none_test_of(test: cst.BaseExpression, owner: str | None) -> bool:
    """`if scheduler:` or `if scheduler is not None:`."""
    if dotted(test) == owner:
        return True
    return (isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and dotted(test.left) == owner
            and isinstance(test.comparisons[0].operator, cst.IsNot) and dotted(test.comparisons[0].comparator) == "None")  # fmt: skip


def _never_none(conv, owner: str | None) -> bool:
    """`if scheduler is not None:` holds every epoch: each value the script gives the scheduler (through the site's
    names) is a scheduler class's, or that of a function of the script that returns one on every path. A config
    script's `get_scheduler(cfg, optimizer)` returning None for `--scheduler none` made the returned config None (an
    AttributeError in Lightning, after a clean exit)."""
    plan = conv.plan
    bound = plan.binding.get(owner or "")
    name = dotted(bound) if bound is not None else owner
    values = [a.value for a in plan.index.of_kind(cst.Assign) if len(a.targets) == 1 and dotted(a.targets[0].target) == name]
    return bool(values) and all(_a_scheduler(plan, value) for value in values)


def _a_scheduler(plan, value: cst.BaseExpression) -> bool:
    if torch_names.is_scheduler(plan.imports.call_name(value) or ""):
        return True
    function = next((f for f in plan.module.body if isinstance(f, cst.FunctionDef) and isinstance(value, cst.Call)
                     and dotted(value.func) == f.name.value), None)  # fmt: skip
    returns = [n for n in walk(function) if isinstance(n, cst.Return)] if function is not None else []
    return bool(returns) and all(r.value is not None and torch_names.is_scheduler(plan.imports.call_name(r.value) or "")
                                 for r in returns)  # fmt: skip


def _every_epoch(conv, test: cst.BaseExpression, owner: str | None, phase: str | None) -> bool:
    if _none_test_of(test, owner):
        return _never_none(conv, owner)
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        operator, right = test.comparisons[0].operator, test.comparisons[0].comparator
        if isinstance(operator, cst.Equal) and isinstance(right, cst.SimpleString):
            return phase is not None and dotted(test.left) == phase and right.evaluated_value == "train"
    return False


def ordered(conv) -> list[tuple[str, cst.Call | None]]:
    """Every scheduler configure_optimizers returns: per-step ones first, then per-epoch ones (with their call)."""
    return [(s, None) for s in sorted(conv.train_outcome.step_schedulers)] + conv.epoch_schedulers


def stepped_by_training_step(conv) -> Hook | None:
    """`lr_scheduler_step` doing nothing, where training_step steps the scheduler itself (before the optimizer, as
    the loop did: Lightning steps a configured one after the optimizer, and every step would take the next rate)."""
    early = conv.train_outcome.early_schedulers
    if conv.manual or not early:
        return None
    names = [s for s, _ in ordered(conv)]
    if set(names) <= early:
        body = parse_statements("pass  # training_step steps it, before the optimizer's step, as the loop did\n")
    else:  # Lightning steps the others
        mine = " and ".join(f"scheduler is not self.lr_schedulers()[{names.index(s)}]" for s in sorted(early))
        body = parse_statements(f"if {mine}:  # training_step steps those, before the optimizer's step\n"
                                "    super().lr_scheduler_step(scheduler, metric)\n")  # fmt: skip
    return Hook("lr_scheduler_step", ["scheduler", "metric"], body, conv.plan.site_scope, {})


def moved(conv, statement: cst.CSTNode) -> None:
    conv.report.add("T2L107", conv.plan.line(statement))


def report_epoch_steps(conv) -> None:
    for name, call in ordered(conv):
        if call is not None:
            conv.report.add("T2L107", conv.plan.line_of.get(id(call), 0), f"`{name}.step()` once an epoch -> configure_optimizers")


def configurations(conv) -> list[str]:
    """The lr_scheduler_config of each scheduler of the one optimizer (automatic optimization), in `ordered`'s
    order: every one is returned, a warm-up stepped each batch beside a decay stepped each epoch too (only the
    first was, and the decay never stepped)."""
    configs = []
    for name, call in ordered(conv):
        config = f'"scheduler": {name}'
        if name in conv.train_outcome.step_schedulers:
            config += ', "interval": "step"'
        if call is not None and call.args:
            config += f', "monitor": "{_monitor(conv, call.args[0].value)}"'
        configs.append(config)
    return configs


def _monitor(conv, metric: cst.BaseExpression) -> str:
    key = _monitor_key(conv, metric)
    assert key is not None, "epoch_schedulers keeps a plateau on an unlogged value in the epoch body"
    if key not in (dotted(metric), f"val_{dotted(metric)}"):
        conv.report.add(
            "T2L107", conv.plan.line(conv.plan.site),
            f"ReduceLROnPlateau on `{dotted(metric)}` -> \"monitor\": \"{key}\" (an epoch sum: the same decisions "
            "as the mean under the default relative threshold)",
        )  # fmt: skip
    return key


def _monitor_key(conv, metric: cst.BaseExpression) -> str | None:
    """The logged validation metric a plateau scheduler's `step(metric)` reads: its name, `val_<name>`, or the
    validation's only logged metric; None when the validation logs none of them."""
    name, logged = dotted(metric) or "", conv.logged_val
    for key in (name, f"val_{name}"):
        if key in logged:
            return key
    return logged[0] if len(logged) == 1 else None


def seen_from_hooks(conv, name: str) -> cst.BaseExpression:
    """A scheduler built in configure_optimizers, seen from another hook: the one Lightning holds."""
    schedulers = [s for s, _ in ordered(conv)]
    index = schedulers.index(name) if name in schedulers else 0
    return cst.parse_expression(f"self.lr_schedulers()[{index}]" if len(schedulers) > 1 else "self.lr_schedulers()")
