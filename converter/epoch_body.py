"""The rest of the epoch loop: statements before and after the training that no other rule maps.

Without this they would vanish with the loop the Trainer replaces (a best-model save, an LR adjusted by hand,
an epoch summary). Statements before the training go to `on_train_epoch_start`; statements after it go to
`on_train_epoch_end`, which Lightning calls after the epoch's validation, as the loop ran them. A print that
reads what the training computed is a metric report: removed (T2L113), since `self.log` carries the metric.
Anything else that reads what the training computed is moved and marked T2L909. Names such statements keep
from one epoch to the next (`best_acc`) become attributes, set from the value they had before the loop.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from converter.names import code, dotted, first_reads, loads, writes

PRINTS = {"print", "logging.info", "logger.info", "log.info", "tqdm.write", "pbar.write"}


@dataclass
class EpochBody:
    start: list[cst.BaseStatement] = field(default_factory=list)
    end: list[cst.BaseStatement] = field(default_factory=list)
    state: set[str] = field(default_factory=set)  # names kept across epochs -> attributes


def split(conv) -> EpochBody:
    """Statements of the epoch loop that the hooks must carry (`conv` is the converter, read only)."""
    plan = conv.plan
    result = EpochBody()
    loop = plan.epoch_loop
    if loop is None or not isinstance(loop.body, cst.IndentedBlock):
        return result
    block = list(loop.body.body)
    anchor = plan.train_call if plan.train_call is not None else plan.batch_loop
    position = next((i for i, s in enumerate(block) if plan.index.contains(s, anchor)), None)
    if position is None:
        return result
    handled = _handled(conv)
    stale = _computed_by_training(conv, block[position])
    for index, stmt in enumerate(block):
        if index == position or any(plan.index.contains(stmt, h) for h in handled) or _is_mapped_prelude(conv, stmt):
            continue
        before = index < position
        if _is_metric_print(stmt, stale):
            conv.report.add("T2L113", plan.line(stmt), f"`{code(stmt).strip()[:40]}` removed: the metric is logged")
            continue
        missing = first_reads(stmt) & stale if not before else set()
        if missing:
            reason = f"moved from the epoch loop; reads `{', '.join(sorted(missing))}`, which the training computed"
            conv.report.add("T2L909", plan.line(stmt), reason)
            stmt = _marked(stmt, f"# TODO(t2l): T2L909 {reason}")
        else:
            hook = "on_train_epoch_start" if before else "on_train_epoch_end"
            conv.report.add("T2L124", plan.line(stmt), f"epoch-loop statement -> {hook}")
        (result.start if before else result.end).append(stmt)
    outside = _bound_before_the_loop(conv)
    result.state = (writes(*result.start, *result.end) & outside) if result.start or result.end else set()
    return result


def _handled(conv) -> list[cst.CSTNode]:
    """Nodes other rules already map: the evaluation, epoch schedulers."""
    plan, nodes = conv.plan, []
    if plan.whole_batch is not None:
        nodes.append(plan.whole_batch)  # `def closure():` in the loop: it is the training step now
    if plan.val is not None:
        nodes.append(getattr(plan.val, "call_stmt", plan.val))
    nodes += [call for _, call in conv.epoch_schedulers]
    return nodes


def _is_mapped_prelude(conv, stmt: cst.BaseStatement) -> bool:
    """Mode switches, resets of running totals and carried state: other rules map these."""
    if writes(stmt) & conv.carried:
        return True  # on_train_epoch_start resets it already
    if not isinstance(stmt, cst.SimpleStatementLine):
        return False
    for small in stmt.body:
        if isinstance(small, cst.Pass):
            continue
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call) and isinstance(small.value.func, cst.Attribute):
            if small.value.func.attr.value in ("train", "eval", "zero_grad") and not small.value.args:
                continue
        if isinstance(small, (cst.Assign, cst.AnnAssign)) and writes(small) and writes(small) <= conv.reset_names:
            continue
        return False
    return True


def _computed_by_training(conv, anchor: cst.BaseStatement) -> set[str]:
    """Names the removed training computed: the batch loop's locals, running totals, the train call's result."""
    plan = conv.plan
    names = writes(plan.batch_loop.body) | conv.reset_names | writes(anchor)
    if plan.val is not None:
        names |= writes(getattr(plan.val, "call_stmt", plan.val))
    return names - conv.carried - {conv.epoch_var[0] if conv.epoch_var else ""}


def _is_metric_print(stmt: cst.BaseStatement, stale: set[str]) -> bool:
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return False
    small = stmt.body[0]
    if not (isinstance(small, cst.Expr) and isinstance(small.value, cst.Call)):
        return False
    return dotted(small.value.func) in PRINTS and bool(loads(small) & stale)


def _bound_before_the_loop(conv) -> set[str]:
    plan = conv.plan
    parent = plan.index.parent(plan.site)
    siblings = list(parent.body) if isinstance(parent, (cst.IndentedBlock, cst.Module)) else []
    bound: set[str] = set()
    for stmt in siblings:
        if stmt is plan.site:
            break
        bound |= writes(stmt)
    if isinstance(plan.site_scope, cst.FunctionDef):
        params = plan.site_scope.params
        bound |= {p.name.value for p in [*params.posonly_params, *params.params, *params.kwonly_params]}
    return bound


def _marked(stmt: cst.BaseStatement, comment: str) -> cst.BaseStatement:
    line = cst.EmptyLine(comment=cst.Comment(comment))
    return stmt.with_changes(leading_lines=[*stmt.leading_lines, line])
