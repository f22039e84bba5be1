"""The rest of the epoch loop: statements before and after the training that no other rule maps.

Without this they would vanish with the loop the Trainer replaces (a best-model save, an LR adjusted by hand,
an epoch summary). Statements before the training go to `on_train_epoch_start`; statements after it go to
`on_train_epoch_end`, which Lightning calls after the epoch's validation, as the loop ran them. A print that
reads what the training computed is a metric report: removed (T2L113), since `self.log` carries the metric.
Anything else that reads what the training computed is moved and marked T2L909. Names such statements keep
from one epoch to the next (`best_acc`) become attributes, set from the value they had before the loop, and code
after the Trainer that reads them reads the trained module's attribute.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field, replace

import libcst as cst

from converter.analysis import children, transform, walk
from converter.convert.attributes import attribute_name
from converter.convert.edits import block_of, parse_statements
from converter.convert.hook import Hook
from converter.convert.rules import (
    batch_state,
    breaks,
    loop_variables,
    metric_logging,
    mode_switch,
    one_shot_loader,
    progress_bars,
    script_globals,
    unreachable_loader,
    validation_epoch,
)
from converter.marks import renaming
from converter.names import (
    always_written,
    bound_names,
    code,
    dotted,
    first_reads,
    is_declaration,
    loads,
    reads,
    rename,
    scope_writes,
    writes,
)

CODES = {
    "T2L124": "other statements of the epoch loop -> on_train_epoch_start / on_train_epoch_end",
    "T2L132": "`break` / `continue` in the epoch loop -> self.trainer.should_stop = True + return / return, at epoch end",
}

PRINTS = {*metric_logging.PRINTS, "tqdm.write", "pbar.write"}


@dataclass
class EpochBody:
    start: list[cst.BaseStatement] = field(default_factory=list)
    end: list[cst.BaseStatement] = field(default_factory=list)
    before_validation: list[cst.BaseStatement] = field(default_factory=list)  # an EMA update the evaluation runs
    state: set[str] = field(default_factory=set)  # names kept across epochs -> attributes set at the site
    shared: set[str] = field(default_factory=set)  # set at an epoch's start, read at its end -> attributes
    last_batch: set[str] = field(default_factory=set)  # the last batch's values read at its end -> attributes
    read_after: set[str] = field(default_factory=set)  # computed at its end, read after the loop -> attributes
    after_fit: list[tuple[cst.BaseStatement, set[str]]] = field(default_factory=list)  # code after the site, what it reads

    @property
    def read_after_fit(self) -> set[str]:
        """The names the removed loop bound that code after the site reads."""
        return set().union(*(names for _, names in self.after_fit))


def _frees_the_last_batch(conv, stmt: cst.BaseStatement) -> bool:
    """`del predicted_locs, images, boxes` after the batch loop (the SSD tutorial frees the last batch's tensors): the
    names are training_step's locals now, freed when it returns; kept, the hooks would hold them to delete them."""
    small = stmt.body[0] if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 else None
    if not isinstance(small, cst.Del):
        return False
    target = small.target
    names = [e.value for e in target.elements] if isinstance(target, cst.Tuple) else [target]
    loop = conv.plan.batch_loop
    bound = writes(loop.body) | (bound_names(loop.target) if isinstance(loop, cst.For) else set())
    if not names or not all(isinstance(n, cst.Name) for n in names) or not {n.value for n in names} <= bound:
        return False
    conv.report.add("T2L124", conv.plan.line(stmt), f"`{code(stmt).strip()}` dropped: the last batch's names are "
                    "training_step's locals, freed when it returns")  # fmt: skip
    return True


def split(conv, step: Hook) -> EpochBody:
    """Statements of the epoch loop (and of the train function it calls) that the hooks must carry (`conv` is
    the converter, read only). In call order: the epoch loop's statements before the training, the train
    function's before its batch loop, then the function's after it, then the epoch loop's after it. `step` is
    training_step, which can keep the last batch's values that statements at the epoch's end read."""
    plan = conv.plan
    result = EpochBody(after_fit=batch_state.reads_after_fit(conv))
    handled = _handled(conv)
    loop = plan.epoch_loop
    outer: list[cst.BaseStatement] = list(loop.body.body) if loop is not None and isinstance(loop.body, cst.IndentedBlock) else []
    anchor = plan.train_call if plan.train_call is not None else plan.batch_loop
    position = next((i for i, s in enumerate(outer) if plan.index.contains(s, anchor)), None)
    inner = _train_function_body(conv)
    if position is None and inner is None:
        if loop is None and plan.train_call is None:  # a step loop is the site: code after it reads its last values
            result.last_batch = _last_batch_values(conv, step, []) & result.read_after_fit
        return result
    stale = _computed_by_training(conv, outer[position] if position is not None else None) - script_globals.enclosing(conv)
    outer_before, outer_after = (outer[:position], outer[position + 1 :]) if position is not None else ([], [])
    function_before, function_after = inner or ([], [])
    ordered = [(s, True, "epoch-loop") for s in outer_before] + [(s, True, "train-function") for s in function_before]
    ordered += [(s, False, "train-function") for s in function_after if not _frees_the_last_batch(conv, s)]
    changes_the_evaluated = _changes_the_evaluated(conv, outer_after)
    before_validation = _moved_before_validation(conv, outer_after, changes_the_evaluated, stale)
    changes_the_evaluated |= conv.epoch.read_after_increment
    holder = conv.val_around.holder if conv.val_around is not None else getattr(plan.val, "call_stmt", None)
    evaluated_by: int | None = None  # the place in `ordered` of the first statement after the evaluation
    for stmt in outer_after:  # the evaluation's own statements after its loop run where it ran (T2L136)
        if stmt is holder:
            evaluated_by = len(ordered)
        evaluated = conv.val_around is not None and stmt is holder
        evaluation = validation_epoch.after_loop(conv) if evaluated else []
        ordered += [(s, False, validation_epoch.origin(conv, s)) for s in evaluation] if evaluated else [
            (validation_epoch.after_the_evaluation(conv, stmt), False, "epoch-loop")]
    assigned_at_end: set[str] = set()
    after_evaluation: int | None = None  # ... and of the first such statement in result.end
    switches_stay = mode_switch.stay_at_start(conv, [s for s, at_start, _ in ordered if at_start])
    last_batch = _last_batch_values(conv, step, [s for s, _, _ in ordered])

    def dropped_print(stmt: cst.BaseStatement, origin: str) -> bool:
        """A print of what the training computed goes (the logged metric carries it), but for one of the last
        batch's values only (`print(f"epoch {epoch}: {loss.item()}")`): on_train_epoch_end prints it as it was."""
        computed = stale - assigned_at_end  # `loss = self.total / n` (the train function's return) is there
        last_batch_only = loads(stmt) & computed <= last_batch and _in_the_steps_scope(conv, origin)
        return _is_metric_print(stmt, computed) and not last_batch_only

    for position_in_order, (stmt, at_start, origin) in enumerate(ordered):
        line = validation_epoch.line(conv, stmt) if conv.val_around is not None else 0
        line = line or plan.line(stmt) or _return_line(conv)
        if any(plan.index.contains(stmt, h) for h in handled) or is_declaration(stmt):
            continue  # (`global step`, `nonlocal step`: each hook that assigns the name declares it, attributes.py)
        if origin != "train-function" and (validation_epoch.is_reset(conv, stmt) or validation_epoch.is_evaluation_reset(conv, stmt)):
            continue  # on_validation_epoch_start makes it (the training's own `total = 0` is its own)
        moved_after = [s for s, start, origin_of in ordered[position_in_order + 1 :] if not start
                       and not any(plan.index.contains(s, h) for h in handled) and not dropped_print(s, origin_of)
                       and not _is_mapped_prelude(conv, s)]  # fmt: skip
        # an eval() before code that moves to on_train_epoch_end stays: Lightning switches modes only around its loops
        kept_eval = mode_switch.is_eval(stmt) and not at_start and bool(moved_after)
        if at_start and switches_stay and mode_switch.kept_before_training(conv, stmt):
            result.start.append(stmt if origin != "train-function" else rename(stmt, plan.binding))
            continue
        # a reset after the training that code moving to epoch end reads (an evaluation kept as a loop there, adding
        # to `total = 0.0` again) stays: on_train_epoch_start's reset comes too early for it
        reread = not at_start and bool(writes(stmt) & loads(*moved_after)) if moved_after else False
        if not kept_eval and not reread and (mode_switch.dropped_at_epoch_start(conv, stmt) or _is_mapped_prelude(conv, stmt)):
            continue
        if origin == "train-function":
            stmt = rename(stmt, plan.binding)  # the function's parameters, in the caller's names
        if dropped_print(stmt, origin):
            metric_logging.removed_epoch_print(conv, line, stmt, loads(stmt) - stale - plan_names(conv))
            continue
        missing = first_reads(stmt) & stale - assigned_at_end if not at_start else set()
        if missing and missing <= last_batch and _in_the_steps_scope(conv, origin):
            conv.report.add("T2L124", line, f"{origin} statement -> on_train_epoch_end; it reads the last batch's "
                            f"`{', '.join(sorted(missing))}`, which training_step keeps on self")  # fmt: skip
            result.last_batch |= missing
        elif missing:
            computer = "its loop" if origin == "evaluation" else "the training"
            reason = f"moved from the {origin}; reads `{', '.join(sorted(missing))}`, which {computer} computed"
            stmt = loop_variables.kept(conv, line, stmt, reason)
        else:
            hook = "on_train_epoch_start" if at_start else "on_train_epoch_end"
            conv.report.add("T2L124", line, f"{origin} statement -> {hook}")
        if id(stmt) in before_validation:
            conv.report.add("T2L124", line, f"{origin} statement -> on_validation_epoch_start: it changes a model the "
                            "evaluation runs, and Lightning validates before on_train_epoch_end")  # fmt: skip
            result.before_validation.append(stmt)
            continue
        if id(stmt) in changes_the_evaluated:
            stmt = loop_variables.kept(conv, line, stmt, changes_the_evaluated[id(stmt)])
        if origin == "epoch-loop" and _exits_loop(stmt):
            if at_start:
                reason = "`break` / `continue` before the training in the epoch loop: no hook can skip an epoch's training"
                stmt = breaks.kept_exit(conv, line, stmt, reason)
            else:
                conv.report.add("T2L132", line, "`break` -> self.trainer.should_stop = True; return (`continue` -> "
                                "return): the rest of the epoch's statements are skipped, as in the loop")  # fmt: skip
                stmt = transform(stmt, _LoopExits())
        if not at_start and after_evaluation is None and evaluated_by is not None and position_in_order >= evaluated_by:
            after_evaluation = len(result.end)
        (result.start if at_start else result.end).append(stmt)
        if not at_start:
            assigned_at_end |= writes(stmt)  # `acc1 = self.top1.avg` moved above: what follows reads that
    result.end = mode_switch.in_the_evaluation_s_mode(conv, result.end, after_evaluation)
    if plan.train_call is None:  # the batch loop is in the site's scope: code after it reads its last values too
        result.last_batch |= last_batch & result.read_after_fit
    outside = batch_state.bound_before_the_loop(conv)
    hooked = [*result.start, *result.end, *result.before_validation]
    result.state = (scope_writes(*hooked) & outside - _locals_of_the_train_function(conv, outer_before + outer_after)) if hooked else set()
    result.state -= (_loop_variables(hooked) - result.read_after_fit) | script_globals.enclosing(conv)  # (`for p in ...`)
    if hooked:  # what an epoch's start or end computes that code after the loop reads (`return accuracy`: the last's)
        result.read_after = scope_writes(*hooked) & result.read_after_fit - result.state
    if result.start:  # set at an epoch's start, read at its end or by the step: one attribute for the hooks
        readers = reads(*result.end, plan.batch_loop.body) if result.end else reads(plan.batch_loop.body)
        result.shared = (scope_writes(*result.start) & readers) - result.state  # not a comprehension's variable
    if hooked:  # `if val_acc > best: test_acc = acc` then `print(test_acc)`: an earlier epoch's value may be read
        result.shared |= _read_where_maybe_unbound(hooked) & scope_writes(*hooked) - outside - result.state - result.read_after
    return result


def _read_where_maybe_unbound(statements: list[cst.BaseStatement]) -> set[str]:
    """Names a statement reads that the statements before it bind only under an `if`, in a loop or a `try`: where
    that binding did not run, the value read is the one an earlier epoch left (each hook's locals would be unbound)."""
    found: set[str] = set()
    surely: set[str] = set()
    maybe: set[str] = set()
    for statement in statements:
        found |= first_reads(statement) & maybe - surely
        surely |= always_written(statement)
        maybe |= writes(statement)
    return found


def _loop_variables(statements: list[cst.BaseStatement]) -> set[str]:
    """Names the statements bind only as a `for` loop's variable and use only inside such a loop: no value of theirs
    outlives the loop, so one from before it is not state (`for p in backbone.parameters(): p.requires_grad = True`
    at an unfreezing epoch made `p` an attribute, the backbone's last parameter registered on the LightningModule
    again under its name)."""
    loops = [node for statement in statements for node in walk(statement) if isinstance(node, cst.For)]
    candidates = set().union(*(bound_names(loop.target) for loop in loops)) if loops else set()
    if not candidates:
        return set()
    inside = {id(node) for loop in loops for part in (loop.target, loop.body) for node in walk(part)
              if isinstance(node, cst.Name) and node.value in bound_names(loop.target)}  # fmt: skip
    return {name for name in candidates
            if all(id(node) in inside for statement in statements for node in walk(statement)
                   if isinstance(node, cst.Name) and node.value == name)}  # fmt: skip


def _locals_of_the_train_function(conv, epoch_loop: list[cst.BaseStatement]) -> set[str]:
    """Names the train function's own statements bind and the epoch loop's (`epoch_loop`) do not: the function's
    locals, made anew at each call (the detection tutorial's warmup `lr_scheduler = None` in train_one_epoch is not
    main()'s StepLR `lr_scheduler`, though both scopes use the name)."""
    inner = _train_function_body(conv)
    if inner is None or not (inner[0] or inner[1]):
        return set()
    own = scope_writes(*inner[0], *inner[1]) - {p.name.value for p in conv.plan.scope.params.params}
    return own - (scope_writes(*epoch_loop) if epoch_loop else set())


def _last_batch_values(conv, step: Hook, epoch: list[cst.BaseStatement]) -> set[str]:
    """Names the training step binds that code at the epoch's end may read as the loop left them (`outputs.append(
    (epoch, img, recon))`): bound by the batch loop and on every pass of training_step, by nothing else of the
    epoch loop or the evaluation, and the step has no early `return` (a skipped batch would not leave its values)."""
    plan = conv.plan
    last = step.body[-1] if step.body else None
    final = isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[0], cst.Return)
    if any(_returns(s) for s in (step.body[:-1] if final else step.body)):
        return set()
    bound = writes(plan.batch_loop.body) | bound_names(plan.batch_loop.target)
    # a statement that rebinds names from themselves (`loss = float(loss)`) reads the last batch's values: no other
    others = writes(*[s for s in epoch if not (writes(s) and writes(s) <= first_reads(s))])
    others |= conv.reset_names | conv.carried | conv.counters | conv.val_carried
    if plan.val is not None:
        others |= writes(getattr(plan.val, "call_stmt", plan.val))
    if (around := conv.val_around) is not None:  # an evaluation loop of the epoch loop, with its own `loss`
        own = writes(around.loop)
        if isinstance(around.scope, cst.FunctionDef) and around.scope is not plan.scope:  # its names are its own
            own &= loads(*around.after) | writes(*around.after)  # but for those its code after the loop reads
        others |= own | writes(*around.after)
    # bound on every batch (kept at the step's end), or under a condition by plain lines only (`if i % n_critic ==
    # 0: g_loss = ...`: kept where it is bound, so the attribute holds the last value bound, as the name did)
    every_batch = always_written(*step.body) | set(step.params)
    sometimes = {n for n in bound & scope_writes(*step.body) - every_batch if _bound_by_lines_only(step.body, n)}
    return bound & (every_batch | sometimes) - others


def _bound_by_lines_only(body: list[cst.BaseStatement], name: str) -> bool:
    """`name` is bound in `body` by simple lines only (`g_loss = ...`, under an `if`), at least one: not by a `for`
    target, a `with ... as`, an `except ... as`, a walrus in a header, a `match` pattern or a nested function."""
    stack: list[cst.CSTNode] = list(body)
    lines = 0
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            if node.name.value == name:
                return False
            continue
        if isinstance(node, cst.SimpleStatementLine):
            lines += name in scope_writes(node)
            continue
        if isinstance(node, cst.Match):
            return False
        headers = _headers(node)
        if headers and name in writes(*headers):
            return False
        stack.extend(children(node))
    return lines > 0


def _headers(node: cst.CSTNode) -> list[cst.CSTNode]:
    """What a compound statement evaluates or binds outside its blocks."""
    if isinstance(node, (cst.If, cst.While)):
        return [node.test]
    if isinstance(node, cst.For):
        return [node.target, node.iter]
    if isinstance(node, cst.With):
        return list(node.items)
    if isinstance(node, (cst.ExceptHandler, cst.ExceptStarHandler)):
        return [n for n in (node.type, node.name) if n is not None]
    return []


class _KeptWhereBound(cst.CSTTransformer):
    """`self.g_loss = g_loss` after each line that binds a kept name under a condition."""

    def __init__(self, names: set[str]) -> None:
        self.names = names

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine):
        return cst.FlattenSentinel([updated, *self.kept(original)]) if scope_writes(original) & self.names else updated

    def kept(self, line: cst.SimpleStatementLine) -> list[cst.BaseStatement]:
        ordered = sorted(scope_writes(line) & self.names)
        targets = ", ".join(f"self.{attribute_name(n)}" for n in ordered)
        return parse_statements(f"{targets} = {', '.join(ordered)}  # the last value bound, read after the batches\n")


def keeping_last_batch(step: Hook, names: set[str], divided: dict[str, str] | None = None) -> Hook:
    """training_step with `self.img, self.recon = img, recon` before its return: the values its last batch left.
    `divided`: a loss the loop divided by K for accumulation -> K (training_step returns it undivided, Lightning
    divides it): kept divided, as the code after the loop read it (`self.loss = loss / K`)."""
    if not names:
        return step
    every_batch = names & (always_written(*step.body) | set(step.params))
    if names - every_batch:  # bound under a condition: kept where bound
        where_bound = _KeptWhereBound(names - every_batch)
        step = replace(step, body=[out for s in step.body for out in (
            [s, *where_bound.kept(s)] if isinstance(s, cst.SimpleStatementLine) and scope_writes(s) & where_bound.names
            else [transform(s, where_bound)])])  # fmt: skip
    if not every_batch:
        return step
    ordered = sorted(every_batch)
    targets = ", ".join(f"self.{attribute_name(n)}" for n in ordered)
    values = ", ".join(f"{n} / {divided[n]}" if divided and n in divided else n for n in ordered)
    keep = parse_statements(f"{targets} = {values}  # the last batch's, read after it\n")
    body = list(step.body)
    last = body[-1] if body else None
    at = len(body) - 1 if isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[0], cst.Return) else len(body)
    return replace(step, body=[*body[:at], *keep, *body[at:]])


def _returns(stmt: cst.CSTNode) -> bool:
    """A `return` of the statement's own function (not of a function or lambda defined in it)."""
    stack = [stmt]
    while stack:  # the fast field walk: libcst's `.children` costs a visitor per node
        node = stack.pop()
        if isinstance(node, cst.Return):
            return True
        if not isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            stack.extend(children(node))
    return False


def _train_function_body(conv) -> tuple[list, list] | None:
    """The train function's own statements before and after its batch loop, when the loop is called as
    `train(...)` from the epoch loop (else they would vanish with the function), and their lines."""
    plan = conv.plan
    function = plan.scope
    if plan.whole_batch is not None and plan.closure_step is None:  # its body is training_step: only its value is left
        returned = returned_to_the_call(conv)  # `loss = train()` for `return float(loss)`: the last batch's loss
        return ([], [returned]) if returned is not None else None
    if plan.train_call is None or plan.whole_batch is not None or not isinstance(function, cst.FunctionDef):
        return None
    if not isinstance(function.body, cst.IndentedBlock):
        return None
    block = list(function.body.body)
    position = next((i for i, s in enumerate(block) if plan.index.contains(s, plan.batch_loop)), None)
    if position is None:
        return None
    keep = [s for s in block if not docstring_or_return(s)]
    before = [s for s in block[:position] if s in keep]
    after = [s for s in block[position + 1 :] if s in keep]
    returned = returned_to_the_call(conv)
    return before, after + ([returned] if returned is not None else [])


def returned_to_the_call(conv) -> cst.SimpleStatementLine | None:
    """`train_loss = running_loss / len(loader.dataset)` for `train_loss = train(...)` and a train function that
    ends with `return running_loss / len(loader.dataset)`: on_train_epoch_end computes it where the call did."""
    plan = conv.plan
    call, function = plan.train_call, plan.scope
    if call is None or not isinstance(function, cst.FunctionDef) or not isinstance(function.body, cst.IndentedBlock):
        return None
    last = function.body.body[-1]
    small = call.body[0] if isinstance(call, cst.SimpleStatementLine) and len(call.body) == 1 else None
    if not isinstance(small, (cst.Assign, cst.Expr)) or not docstring_or_return(last):
        return None
    value = last.body[0].value if isinstance(last.body[0], cst.Return) else None  # type: ignore[union-attr]
    if value is None or any(isinstance(n, cst.Return) for n in walk(function.body) if n is not last.body[0]):  # type: ignore[union-attr]
        return None  # an early return: the value depends on where the function left
    if isinstance(small, cst.Expr):  # `losses.append(train(...))`: the statement uses the value where it is
        bare = isinstance(small.value, cst.Call) and dotted(small.value.func) == function.name.value
        return None if bare else validation_epoch.returned_in_place(call, function.name.value, value)  # type: ignore[return-value]
    if not isinstance(small.value, cst.Call):
        return None
    loop = plan.epoch_loop
    epoch = list(loop.body.body) if loop is not None and isinstance(loop.body, cst.IndentedBlock) else []
    later = epoch[next((i for i, s in enumerate(epoch) if s is call), len(epoch)) + 1 :]
    if not writes(call) & loads(*later) if later else True:
        return None  # nothing reads the result in the epoch loop
    return call.with_changes(body=[small.with_changes(value=value)], leading_lines=[])


def _return_line(conv) -> int:
    """The line of the train function's last statement (its `return`, which returned_to_the_call rewrote)."""
    function = conv.plan.scope
    return conv.plan.line(function.body.body[-1]) if isinstance(function, cst.FunctionDef) else 0


def read_after_the_batch_loop(conv) -> set[str]:
    """What code after the batch loop reads: the rest of its block, the function's value returned to the call
    (`return total / n`), and what follows the fit (`tr_loss / nb_tr_steps`): the totals there are carried."""
    loop = conv.plan.batch_loop
    block = block_of(conv.plan.index, loop) or []
    later = block[next(i for i, s in enumerate(block) if s is loop) + 1 :] if block else []
    later = [s for s in later if not docstring_or_return(s)]
    later += [r] if (r := returned_to_the_call(conv)) is not None else []
    return (loads(*later) if later else set()) | set().union(*(names for _, names in batch_state.reads_after_fit(conv)))


def docstring_or_return(stmt: cst.BaseStatement) -> bool:
    """A docstring, or the `return` whose value goes to the caller (its reads there are reported)."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return False
    small = stmt.body[0]
    return isinstance(small, cst.Return) or (isinstance(small, cst.Expr) and isinstance(small.value, cst.SimpleString))


def _handled(conv) -> list[cst.CSTNode]:
    """Nodes other rules already map: the evaluation, epoch schedulers, a `while` loop's epoch counter."""
    plan, nodes = conv.plan, []
    if plan.whole_batch is not None:
        nodes.append(plan.whole_batch)  # `def closure():` in the loop: it is the training step now
    if plan.val is not None:
        nodes.append(getattr(plan.val, "call_stmt", plan.val))
    if not conv.manual:  # under manual optimization Lightning steps no scheduler: the loop's own steps stay in place
        nodes += [call for _, call in conv.epoch_schedulers]
    if conv.epoch.increment is not None:
        nodes.append(conv.epoch.increment)  # the Trainer counts epochs (self.current_epoch)
    if conv.conditions and conv.conditions.accumulation and conv.conditions.accumulation.leftover_step is not None:
        nodes.append(conv.conditions.accumulation.leftover_step)  # Lightning steps on the epoch's last batch
    return nodes


def _is_mapped_prelude(conv, stmt: cst.BaseStatement) -> bool:
    """Mode switches, resets of running totals, carried state, progress bars, the loader fit gets: other rules map
    these."""
    if one_shot_loader.builds_the_loader(conv, stmt) or unreachable_loader.feeds_only_the_loop(conv, stmt):
        return True
    if (carried := writes(stmt) & conv.carried) and not carried & loads(stmt):
        return True  # on_train_epoch_start resets it already (`total /= n` is no reset: it stays)
    if progress_bars.drives_a_bar(conv, stmt):
        return True  # `progress = tqdm(loader)`, `progress.close()`: Lightning draws the progress bar
    if not isinstance(stmt, cst.SimpleStatementLine):
        return False
    for small in stmt.body:
        if isinstance(small, cst.Pass):
            continue
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call) and isinstance(small.value.func, cst.Attribute):
            if small.value.func.attr.value in ("train", "eval", "zero_grad") and not small.value.args:
                continue
        resets = conv.reset_names
        if isinstance(small, (cst.Assign, cst.AnnAssign)) and writes(small) and writes(small) <= resets and not loads(small) & (resets | conv.carried):
            continue  # `total = 0.0`; `total = total / len(loader.sampler)` is no reset: it stays
        return False
    return True


def _computed_by_training(conv, anchor: cst.BaseStatement | None) -> set[str]:
    """Names the removed training computed: the batch loop's locals, running totals, the train call's result."""
    plan = conv.plan
    names = writes(plan.batch_loop.body) | bound_names(plan.batch_loop.target) | conv.reset_names  # `batch_idx` too
    names |= writes(anchor) if anchor is not None else set()
    moves = conv.val_around is not None and conv.val_around.moves
    if plan.val is not None and not moves:  # else the statements computing them move along (T2L136)
        names |= writes(getattr(plan.val, "call_stmt", plan.val))
    if moves:  # validation_step's locals are gone by epoch end
        names |= writes(conv.val_around.loop.body) - conv.val_carried
    # Carried state is an attribute, a step counter is self.global_step, the epoch variable self.current_epoch:
    # reading them at epoch end is fine.
    return names - conv.carried - conv.val_carried - conv.counters - {conv.epoch.name}


def plan_names(conv) -> set[str]:
    """Names a print may read and still be only a metric report: the epoch variable, builtins."""
    return {conv.epoch.name, *dir(builtins)} - {""}


def _in_the_steps_scope(conv, origin: str) -> bool:
    """A statement of the scope the batch loop ran in: the names it reads are training_step's."""
    return origin == "train-function" or (origin == "epoch-loop" and conv.plan.train_call is None)


def _is_metric_print(stmt: cst.BaseStatement, stale: set[str]) -> bool:
    return metric_logging.is_print(stmt, PRINTS) and bool(loads(stmt) & stale)


def read_after_fit(conv) -> None:
    """Code after the site that reads what the removed loop computed: epoch state and the last batch's values are
    read from the module (`best_acc` -> `lit_model.best_acc`, `loss` -> `lit_model.loss`); anything else is kept
    and marked."""
    module = conv.plan.site_name("lit_model")
    leftover = conv.leftover
    # what the batch loop carries holds the last epoch's values after fit, as the names did after the loop (a train
    # function's carried locals are not the site's names: only those kept over the whole training are read there)
    carried = conv.carried if conv.plan.train_call is None else batch_state.across_epochs(conv) & conv.carried
    for stmt, names in leftover.after_fit:
        kept = names & (leftover.state | leftover.last_batch | leftover.read_after | carried | conv.counters)
        # a `for` loop's last epoch (_last_epoch), a `while` loop's counter when every epoch counted (_epochs_counted)
        epoch_read = conv.epoch.name in names and (conv.epoch.increment is None or _counts_every_epoch(conv))
        if kept or epoch_read:
            attributes = {n: "global_step" if n in conv.counters else attribute_name(n) for n in kept}  # a step counter
            mapping: dict[str, cst.BaseExpression] = {n: cst.Attribute(cst.Name(module), cst.Name(a)) for n, a in attributes.items()}
            if epoch_read:
                kept = kept | {conv.epoch.name}
                mapping[conv.epoch.name] = _last_epoch(conv, module) if conv.epoch.increment is None else _epochs_counted(conv, module)
            conv.replace[id(stmt)] = renaming(conv.replace.get(id(stmt)), mapping)  # after loop_variables' edit, say
            conv.report.add("T2L124", conv.plan.line(stmt), f"`{', '.join(sorted(kept))}` read from {module} after fit")
        if names - kept:
            loop_variables.mark_after_fit(conv, stmt, names - kept)


def _last_epoch(conv, module: str) -> cst.BaseExpression:
    """A `for` epoch loop's variable after it: the last epoch it ran, `current_epoch - 1` (a break, an early stop
    or max_steps included: Lightning counts the epoch it stopped in as done; a test checks each)."""
    start = conv.epoch.variable[1]
    return cst.parse_expression(f"{module}.current_epoch - 1" + ("" if start == "0" else f" + {start}"))


def _counts_every_epoch(conv) -> bool:
    """A `while` epoch loop no `break` or `continue` leaves early: its counter went up once an epoch, every epoch."""
    loop = conv.plan.epoch_loop
    return loop is not None and not any(isinstance(n, (cst.Break, cst.Continue)) for n in walk(loop.body))


def _epochs_counted(conv, module: str) -> cst.BaseExpression:
    """A `while` loop's counter after it: its start plus the epochs run, which Lightning's current_epoch counts."""
    start = conv.epoch.variable[1]
    return cst.parse_expression(f"{module}.current_epoch" if start == "0" else f"{start} + {module}.current_epoch")


def _exits_loop(stmt: cst.BaseStatement) -> bool:
    """A `break` or `continue` of the epoch loop itself (not of a loop nested in the statement)."""
    finder = _LoopExits()
    transform(stmt, finder)
    return finder.found


class _LoopExits(cst.CSTTransformer):
    """`break` -> `self.trainer.should_stop = True; return`, `continue` -> `return`, outside nested loops and
    functions: what leaving the epoch loop (or its iteration) means from inside on_train_epoch_end."""

    def __init__(self) -> None:
        self.found = False

    def visit_For(self, node: cst.For) -> bool:
        return False

    def visit_While(self, node: cst.While) -> bool:
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def leave_SimpleStatementLine(self, original, updated):
        body: list[cst.BaseSmallStatement] = []
        for small in updated.body:
            if isinstance(small, cst.Break):
                self.found = True
                body += [breaks.should_stop(), cst.Return()]
            elif isinstance(small, cst.Continue):
                self.found = True
                body.append(cst.Return())
            else:
                body.append(small)
        return updated.with_changes(body=body)


# methods that change a model or its parameters in place (an EMA or SWA update)
IN_PLACE = ("update_parameters", "load_state_dict", "copy_", "mul_", "add_", "lerp_", "sub_", "div_")


def _moved_before_validation(conv, after: list[cst.BaseStatement], changers: dict[int, str], stale: set[str]) -> set[int]:
    """Of the statements that change a model the evaluation runs (`changers`), the ids of those that can run in
    on_validation_epoch_start instead, as early as the evaluation's start: they read nothing the training computed,
    leave no loop, and commute with the statements between the training and them (neither reads or binds what the
    other binds, nor reads a model they change). The rest stay marked (T2L909)."""
    around = conv.val_around
    if around is not None and conv.val_carried and (around.scope is not conv.plan.site_scope or around.binding):
        return set()  # on_validation_epoch_start resets the evaluation function's totals, in that function's names
    moved: set[int] = set()
    evaluated = _evaluated(conv) if changers else set()
    for position, stmt in enumerate(after):
        if id(stmt) not in changers or loads(stmt) & stale or _exits_loop(stmt):
            continue
        earlier = [s for s in after[:position] if id(s) not in moved]
        changed = writes(stmt) | reads(stmt) & evaluated
        if earlier and ((loads(stmt) | writes(stmt)) & writes(*earlier) or changed & loads(*earlier)):
            continue
        moved.add(id(stmt))
    return moved


def _evaluated(conv) -> set[str]:
    """The names the evaluation loop calls (the models it runs among them)."""
    return {name for c in walk(conv.val_around.loop) if isinstance(c, cst.Call) for name in [dotted(c.func)] if name}


def _changes_the_evaluated(conv, after: list[cst.BaseStatement]) -> dict[int, str]:
    """Epoch-loop statements between the training and an evaluation loop that change a model the evaluation runs
    in place (`for e, p in zip(ema.parameters(), model.parameters()): e.mul_(d).add_(p)`, `swa.update_parameters`):
    the loop evaluated the changed model, while Lightning validates before on_train_epoch_end, where they go. id ->
    why (T2L909, marked)."""
    around = conv.val_around
    if around is None or around.holder not in after:
        return {}
    run = _evaluated(conv)
    found = {}
    for stmt in after[: after.index(around.holder)]:
        calls = [dotted(c.func) or "" for c in walk(stmt) if isinstance(c, cst.Call)]
        changes = any(call.rsplit(".", 1)[-1] in IN_PLACE for call in calls)
        if changes and (touched := sorted(reads(stmt) & run)):
            found[id(stmt)] = (f"changes `{', '.join(touched)}` before the evaluation runs it; Lightning validates "
                               "before on_train_epoch_end: move this to on_validation_epoch_start (not moved: code "
                               "before it reads what it changes, or it reads what the training computed)")  # fmt: skip
    return found
