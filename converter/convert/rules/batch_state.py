"""State the loop keeps from one batch to the next.

- running totals (`total_loss += loss.item()`) -> `self.log(key, value, on_epoch=True, reduce_fx="sum")`, an
  epoch metric Lightning resets itself (T2L121);
- step counters (`step += 1`) -> `self.global_step` (T2L122);
- other names set before the batch loop and rewritten in it (a hidden state) -> attributes reset in
  `on_train_epoch_start` (T2L123).
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import walk
from converter.convert.edits import block_of, kwargs, parse_statements, self_call
from converter.convert.hook import Hook
from converter.convert.rules import script_globals
from converter.convert.step import NO_MATCH
from converter.names import always_written, bound_names, dotted, first_reads, loads, reads, scope_writes, writes

CODES = {
    "T2L121": "running totals -> self.log(..., reduce_fx='sum') epoch metrics",
    "T2L122": "step counter -> self.global_step",
    "T2L123": "state carried across batches -> an attribute reset in on_train_epoch_start",
}


def on_aug_assign(step, small: cst.AugAssign):
    name = dotted(small.target)
    if name in step.ctx.counted_in_step:
        step.report.add("T2L122", step.line, f"step counter `{name}` read after its increment: where training_step "
                        "reads it, it starts from self.global_step (the steps before this batch) and counts as the loop "
                        "did")  # fmt: skip
        return small
    if name in step.ctx.counters:
        step.report.add("T2L122", step.line)
        return None
    if name not in step.ctx.accumulators or not isinstance(small.operator, cst.AddAssign):
        return NO_MATCH
    key = _key(name, step.ctx.kind)
    step.report.add("T2L121", step.line, f"running total `{name}` -> an epoch sum logged as `{key}`")
    step.out.logged.append(key)
    options = kwargs(on_step=cst.Name("False"), on_epoch=cst.Name("True"), reduce_fx=cst.SimpleString('"sum"'))
    return cst.Expr(self_call("log", cst.Arg(cst.SimpleString(f'"{key}"')), cst.Arg(small.value), *options))


def on_assign(step, line, assign: cst.Assign):
    if all(dotted(t.target) in step.ctx.accumulators | step.ctx.counters for t in assign.targets):
        return None  # a reset of a running total: Lightning resets its epoch metrics itself
    return NO_MATCH


def counted_in_step(counters: set[str], body: list[cst.BaseStatement], moved: set[int]) -> set[str]:
    """The counters the batch loop reads after the statement that increments them (`global_step += 1` first, then
    `ramp = global_step / total`): there the value is self.global_step + 1, which Lightning counts only after this
    batch's step. Statements moved out of training_step (`moved`, ids) do not count."""
    kept = [s for s in body if id(s) not in moved]
    found = set()
    for name in counters:
        at = next((i for i, s in enumerate(kept) if any(isinstance(n, cst.AugAssign) and dotted(n.target) == name
                                                        for n in walk(s))), None)  # fmt: skip
        if at is not None and any(name in loads(s) for s in kept[at + 1 :]):
            found.add(name)
    return found


def start_counters(names: set[str], body: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
    """training_step's body with `step = self.global_step` on top for the counters it keeps as locals; a counter
    whose later reads the rules took away (`if step >= max_steps: break` became max_steps) is dropped instead."""
    increments = {name: [s for s in body if isinstance(s, cst.SimpleStatementLine) and len(s.body) == 1
                         and isinstance(s.body[0], cst.AugAssign) and dotted(s.body[0].target) == name]
                  for name in names}  # fmt: skip
    unread = {n for n in names if not any(n in loads(s) for s in body if s not in increments[n])}
    dropped = {id(s) for n in unread for s in increments[n]}
    start = [parse_statements(f"{name} = self.global_step  # steps before this batch; counted below as the loop did\n")[0]
             for name in sorted(names - unread)]  # fmt: skip
    return [*start, *(s for s in body if id(s) not in dropped)]


def carried(conv, body: list[cst.BaseStatement]) -> set[str]:
    """Names written before the batch loop and both read and written in it; not the loop's own target (`for inputs,
    labels in loader:` binds `labels` anew each batch, whatever the script bound to it before)."""
    if not body:
        return set()
    before = (scope_writes(*conv.prelude) if conv.prelude else set()) | across_epochs(conv)
    loop = conv.plan.batch_loop
    target = bound_names(loop.target) if isinstance(loop, cst.For) else set()
    kept_global = script_globals.shared(conv)  # a function of the script reads it: the hooks keep the global
    return before & scope_writes(*body) & reads(*body) - target - kept_global  # not a comprehension's own variable


def across_epochs(conv) -> set[str]:
    """Names set before the epoch loop that the batch loop reads and writes and the epoch loop leaves alone: state
    kept over the whole training (the BERT scripts' `tr_loss, logging_loss = 0.0, 0.0`, a loss summed since the
    start), an attribute set from its value at the site and never reset."""
    plan = conv.plan
    if plan.epoch_loop is None or plan.train_call is not None or starts_from_site(conv):
        return set()
    loop = plan.batch_loop.body
    others = [s for s in plan.epoch_loop.body.body if s is not plan.batch_loop] if isinstance(plan.epoch_loop.body, cst.IndentedBlock) else []
    before = bound_before_the_loop(conv)
    kept = before & writes(loop) & first_reads(*loop.body) - conv.counters  # type: ignore[attr-defined]
    # a flag some batches set and the epoch loop reads after the batches (`done = True; break` ... `if done: break`):
    # what it holds at an epoch's end is what an earlier batch, or an earlier epoch, left in it
    after = others[next((i for i, s in enumerate(others) if plan.index.line(s) > plan.index.line(plan.batch_loop)), len(others)):]
    flags = before & scope_writes(loop) & loads(*after) - always_written(*loop.body) if after else set()  # type: ignore[attr-defined]
    # a value some batches set and code after the training reads (`best_state = copy.deepcopy(model.state_dict())`
    # under `if val_loss < best_val:`, loaded after the loop): at the end it holds what the last batch to set it left
    later = set().union(*(names for _, names in reads_after_fit(conv))) & before & scope_writes(loop) - always_written(*loop.body)  # type: ignore[attr-defined]
    return (kept | flags | later) - (writes(*others) if others else set())


def reads_after_fit(conv) -> list[tuple[cst.BaseStatement, set[str]]]:
    """The statements after the site that read names the removed loop bound, with those names (asked by split, by
    the training's totals and by the validation's: answered once, kept on the index)."""
    plan = conv.plan
    key = ("reads_after_fit", id(plan.site), conv.epoch.name, conv.epoch.increment is None)
    if (kept := plan.index.memo.get(key)) is not None:
        return kept  # type: ignore[return-value]
    loop = plan.epoch_loop or (plan.site if plan.train_call is None else None)  # or a step loop, the site itself
    if loop is None:
        return []
    # a `for` loop's variable is read after it as the last epoch it ran (`_last_epoch`); a `while` loop's counter
    # (`epoch += 1`) is among what the loop bound
    stale = writes(loop.body) | ({conv.epoch.name} if conv.epoch.name and conv.epoch.increment is None else set())
    if loop is plan.batch_loop and isinstance(loop, cst.For):  # a step loop's `it`, as its last batch left it
        stale |= bound_names(loop.target)
    found, after, rebound = [], False, set()
    for stmt in block_of(plan.index, plan.site) or []:
        if stmt is plan.site:
            after = True
            continue
        names = (reads(stmt) - writes(stmt) - rebound) & stale if after else set()
        rebound |= writes(stmt) if after else set()
        if names:
            found.append((stmt, names))
    plan.index.memo[key] = found
    return found


def epoch_start_hook(conv, leftover: list[cst.BaseStatement]) -> Hook | None:
    """on_train_epoch_start: the carried state's initialisation, then what the epoch loop ran first."""
    conv.carried -= conv.configured  # optimizers: configure_optimizers builds them, the hooks ask for them
    statements = [s for s in conv.prelude if writes(s) & conv.carried]
    across = across_epochs(conv)
    site_block = block_of(conv.plan.index, conv.plan.site) or []
    for name in sorted(conv.carried):
        kept = starts_from_site(conv) or name in across
        where = "set from its value before the loop" if kept else "reset in on_train_epoch_start"
        setting = statements if name not in across else [s for s in site_block if name in writes(s) and s is not conv.plan.site]
        line = conv.plan.line(setting[0]) if setting else 0
        conv.report.add("T2L123", line, f"`{name}` carried across batches -> self.{name}, {where}")
    statements = [] if starts_from_site(conv) else statements
    if not statements and not leftover:
        return None
    return Hook("on_train_epoch_start", [], [*statements, *leftover], conv.plan.scope, conv.plan.binding)


def starts_from_site(conv) -> bool:
    """With no epoch loop around it (the Trainer replaces the batch loop itself) the statements before the loop
    stay where they are and run once, as the one pass over the batches does: the carried state starts from their
    values (__init__ arguments) instead of running them again (a random prefetch would draw twice)."""
    return conv.plan.site is conv.plan.batch_loop


def _key(name: str, kind: str) -> str:
    prefix = {"train": "train_", "val": "val_", "test": "test_"}[kind]
    return name if name.startswith(prefix) else prefix + name


def bound_before_the_loop(conv) -> set[str]:
    """Names the site's scope binds before the loop: in its block and in the blocks around it (a loop inside
    `with TemporaryDirectory() as tmp:` keeps `best_loss` set above the `with`)."""
    plan = conv.plan
    bound: set[str] = set()
    inner: cst.CSTNode = plan.site
    while inner is not plan.site_scope and inner is not None:
        parent = plan.index.parent(inner)
        if isinstance(parent, (cst.IndentedBlock, cst.Module)):
            for stmt in parent.body:
                if stmt is inner:
                    break
                bound |= writes(stmt)
        if isinstance(parent, (cst.FunctionDef, cst.Module)):
            break
        inner = parent
    if isinstance(plan.site_scope, cst.FunctionDef):
        params = plan.site_scope.params
        bound |= {p.name.value for p in [*params.posonly_params, *params.params, *params.kwonly_params]}
    return bound
