"""Code after `optimizer.step()` that reads the trained model (or an object built from it or from the optimizer, a
rate policy of the script's own) -> `on_train_batch_end` (T2L138).

    for it in range(max_iters):                  def training_step(self, it, batch_idx):
        loss = model(*get_batch())                   loss = self.model(*get_batch())
        ...                                          return loss
        optimizer.step()                  ->
        if it % 100 == 0:                        def on_train_batch_end(self, outputs, it, batch_idx):
            print(estimate_loss())                   if it % 100 == 0:
                                                         print(estimate_loss())

Lightning steps the optimizer after training_step returns, so code the loop ran after its step would, left in
training_step, run on the weights of one update earlier: an evaluation every N steps would print other numbers
(and the converted script would still verify, since it changes no loss). on_train_batch_end runs after the step.
The block moves as written: prints, TensorBoard writes and a `torch.save` of the best weights included (a
save alone on its line is checkpoint_save's). Names set before the loop that it updates (`best_loss`) become
module state, like the training's. It moves only when it reads nothing else the loop body computed but the batch
(the loss is not in on_train_batch_end's scope) and binds nothing read elsewhere (a block that reads a running
total, which the rules make a logged metric, is left to them); otherwise it stays in
training_step as written, marked (T2L923). Under manual optimization the step stays in training_step, in the
user's order: nothing moves.

With gradient accumulation the step is inside the window's `if (i + 1) % K == 0:`, and so is what runs after it
once a window (the BERT scripts' logging and checkpoint blocks every N steps): those statements move to
on_train_batch_end under the same `if` (T2L157; `_plan_late_block` says when).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from converter.analysis import in_called_functions, walk
from converter.convert import plan as planning
from converter.convert.edits import parse_statements
from converter.convert.hook import Hook
from converter.convert.loops import batch_params
from converter.convert.rules import accumulation, backward, batch_state, script_globals
from converter.names import bound_names, code, dotted, first_reads, loads, method_call, rename, targets_of, writes

CODES = {
    "T2L138": "code after optimizer.step() that reads the model -> on_train_batch_end, which runs after Lightning's step",  # fmt: skip
    "T2L142": "a scheduler stepped under a condition after optimizer.step() -> on_train_batch_end, under its condition",  # fmt: skip
    "T2L144": "a scheduler stepped with an argument after optimizer.step() -> on_train_batch_end, as written",
    "T2L923": "code after optimizer.step() that reads the model and the loop's values: in training_step it runs before Lightning's step",  # fmt: skip
    "T2L157": "code after the step inside the accumulation `if` (logging, a save every N steps) -> on_train_batch_end, under that `if`",  # fmt: skip
}
HOOK = "on_train_batch_end"


@dataclass
class Moved:
    """What `plan_move` decided about the code after the step."""

    statements: list[cst.BaseStatement] = field(default_factory=list)  # on_train_batch_end's body, in the loop's order
    marks: dict[int, tuple[str, str]] = field(default_factory=dict)  # those that stay in training_step, marked
    dropped: set[int] = field(default_factory=set)  # ids of the statements training_step loses
    loss: str | None = None  # the loss on_train_batch_end reads from outputs["loss"]
    unpacked: list[cst.BaseStatement] = field(default_factory=list)  # `inputs, labels = data`: the hook's too


def plan_move(conv) -> None:
    """Decide which statements after the step move to on_train_batch_end and which stay, marked (`conv.after_step`)."""
    conv.after_step = Moved()
    plan = conv.plan
    body = list(plan.batch_loop.body.body) if isinstance(plan.batch_loop.body, cst.IndentedBlock) else []
    if conv.manual or plan.whole_batch is not None or plan.phase or not body:
        conv.after_step.marks = accumulation.late_marks(conv)
        return
    targets = writes(plan.batch_loop.target) if isinstance(plan.batch_loop, cst.For) else set()
    state = writes(*conv.prelude) if conv.prelude else set()  # set before the loop: attributes of the module
    computed = writes(*body) - targets - state  # what the loop body binds, batch by batch
    _plan_late_block(conv, body, state, computed)
    steppers = conv.kinds["optimizers"] | conv.kinds["scalers"]
    stepping = [i for i, s in enumerate(body) if any(_steps(n, steppers) for n in walk(s))]
    tail = body[stepping[-1] + 1 :] if stepping else []
    if tail:
        _plan_model_block(conv, body, tail, state, computed)
        if schedulers := _conditional_scheduler_steps(conv, tail, computed):
            order = {id(s): i for i, s in enumerate(body)}
            moved = [*conv.after_step.statements, *schedulers]  # the late block (not in the body) first
            conv.after_step.statements = sorted(moved, key=lambda s: order.get(id(s), -1))
    conv.after_step.dropped |= {id(s) for s in conv.after_step.statements}


def _plan_late_block(conv, body: list[cst.BaseStatement], state: set[str], computed: set[str]) -> None:
    """The accumulation `if`'s statements after its step (`accumulation.late`: a logging block every N steps, a save)
    -> on_train_batch_end, under the same `if` (T2L157): Lightning steps after training_step returns (and steps a
    "step" scheduler before on_train_batch_end), so there they run after the window's step, as in the loop. They
    move when they read, of what the loop computes, only the batch index, state kept on the module (`tr_loss`,
    `logging_loss`) and step counters the window incremented before them (self.global_step has counted this
    step); otherwise they stay, marked (T2L927)."""
    found = accumulation.late(conv)
    if found is None:
        return
    condition, late = found
    window = list(condition.body.body)  # type: ignore[union-attr]
    counters = loads(*late) & (conv.accumulated(conv.plan.batch_loop, conv.plan.scope)[1] | conv.counters)
    before = window[: window.index(late[0])]
    counted = all(any(name in writes(s) for s in before) for name in counters)
    kept = batch_state.carried(conv, body) | state
    needs = (loads(*late) | loads(condition.test)) & computed - writes(*late) - counters - kept
    shared = writes(*late) & _names_outside(conv.plan.scope, late) - kept
    unmapped = loads(*late) & (conv.kinds["scalers"] | conv.kinds["bars"])
    if needs or shared or unmapped or not counted or any(_leaves_the_loop(s) for s in late):
        conv.after_step.marks.update(accumulation.late_marks(conv))
        return
    block = condition.body.with_changes(body=late)  # type: ignore[union-attr]
    conv.after_step.statements.append(condition.with_changes(body=block, leading_lines=[]))
    conv.after_step.dropped |= {id(s) for s in late}
    lines = conv.plan.line(late[0])
    conv.report.add("T2L157", lines, f"the code at line {lines} and after, inside `if {code(condition.test)}:` after "
                    "the step, -> on_train_batch_end under that `if`: it runs after Lightning's step, once a window, "
                    "as in the loop")  # fmt: skip


def _conditional_scheduler_steps(conv, tail: list[cst.BaseStatement], computed: set[str]) -> list[cst.BaseStatement]:
    """`if i % 2 == 1: scheduler.step()` after the optimizer step: in training_step it would run before Lightning's
    step (the rate changed one update early); on_train_batch_end runs it after, under its condition, when the
    condition reads only the batch, its index and names from outside the loop."""
    found = []
    for statement in tail:
        if _steps_with_an_argument(statement, conv.kinds["schedulers"]) and not loads(statement) & computed:
            conv.report.add("T2L144", conv.plan.line(statement), f"`{code(statement).strip()}` after optimizer.step() -> "
                            "on_train_batch_end as written: Lightning would call step() without the argument")  # fmt: skip
            found.append(statement)
        if (isinstance(statement, cst.If) and statement.orelse is None and not loads(statement.test) & computed
                and _only_steps(statement.body, conv.kinds["schedulers"])):  # fmt: skip
            conv.report.add("T2L142", conv.plan.line(statement), f"`if {code(statement.test)}:` around a scheduler step "
                            "after optimizer.step() -> on_train_batch_end, which runs after Lightning's step (in "
                            "training_step the rate would change one update early)")  # fmt: skip
            found.append(statement)
    return found


def _steps_with_an_argument(statement: cst.BaseStatement, schedulers: set[str]) -> bool:
    """`scheduler.step(epoch + i / iters)` alone on its line (CosineAnnealingWarmRestarts' fractional epochs)."""
    if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 and isinstance(statement.body[0], cst.Expr)):
        return False
    call = statement.body[0].value
    return (isinstance(call, cst.Call) and bool(call.args) and isinstance(call.func, cst.Attribute)
            and call.func.attr.value == "step" and dotted(call.func.value) in schedulers)  # fmt: skip


def _only_steps(block: cst.BaseSuite, schedulers: set[str]) -> bool:
    statements = block.body if isinstance(block, cst.IndentedBlock) else [block]
    smalls = [small for s in statements for small in (s.body if isinstance(s, cst.SimpleStatementLine) else [s])]
    return bool(smalls) and all(isinstance(small, cst.Expr) and isinstance(small.value, cst.Call) and not small.value.args
                                and isinstance(small.value.func, cst.Attribute) and small.value.func.attr.value == "step"
                                and dotted(small.value.func.value) in schedulers for small in smalls)  # fmt: skip


def _plan_model_block(conv, body: list[cst.BaseStatement], tail: list[cst.BaseStatement], state: set[str],
                      computed: set[str]) -> None:  # fmt: skip
    """The statements after the step that read the model, with what they need: moved, or kept and marked."""
    plan = conv.plan
    models = {name.split(".")[0] for name in planning.trained_models(plan)}
    readers = _model_readers(plan.module, models, loads(*tail))
    mapped = conv.kinds["optimizers"] | conv.kinds["schedulers"] | conv.kinds["scalers"] | conv.kinds["bars"]
    holders = _holders(plan, models | conv.kinds["optimizers"]) - conv.kinds["schedulers"] - conv.kinds["scalers"]
    group = _group(tail, models | readers | holders, conv.kinds["optimizers"])  # and what reads what those bind
    if not group:
        return
    group = _with_invariants(tail, group, computed)
    mapped -= _stepped_only_in(plan, group, conv.kinds["schedulers"])  # `scheduler.step(val_score)` goes with them
    mapped -= conv.kinds["optimizers"]  # an optimizer's rate may be read there; its steps are the step rules'
    optimizer_calls = any(method_call(c, "step", "zero_grad", on=conv.kinds["optimizers"]) for s in group for c in walk(s))
    shifted = _counted_before(conv, body, group)
    if optimizer_calls or any(loads(s) & mapped or _leaves_the_loop(s) for s in group) or shifted is None:
        return  # calls the step rules map (a step, a scheduler, a bar), a break they place, a running total they log
    if len(group) == 1 and _saves(plan, group[0]) and isinstance(group[0], cst.SimpleStatementLine):
        return  # a save alone: checkpoint_save removes it (Lightning's ModelCheckpoint saves)
    bound = writes(*group)
    carried = batch_state.carried(conv, body)  # attributes of the module: every hook reads the same value
    needs = loads(*group) & computed - bound - carried - conv.accumulated(plan.batch_loop, plan.scope)[1]  # counters: above
    shared = bound & _names_outside(plan.scope, group) - state - carried
    loss = _returned_loss(conv, body)
    if needs == {loss}:  # the loss training_step returns: on_train_batch_end gets it (detached) as outputs["loss"]
        needs, conv.after_step.loss = set(), loss
    needs |= _read_by_functions_before_counted(conv, body, group)
    unpacked = _unpacking(plan, body)
    if needs and needs <= writes(*unpacked):  # the batch's own parts (`inputs`): the hook gets the batch too
        needs, conv.after_step.unpacked = set(), unpacked
    if needs and needs <= writes(*(again := _from_the_index(plan, body, group, needs, computed))):
        needs, group = set(), [*(s.deep_clone() for s in again), *group]  # a copy: training_step keeps its own
    lines = f"lines {plan.line(group[0])}-{plan.line(group[-1])}" if len(group) > 1 else f"line {plan.line(group[0])}"
    if needs or shared:
        reason = (f"the code at {lines} runs after optimizer.step() in the loop and reads the model, but uses "
                  f"`{', '.join(sorted(needs or shared))}` from the loop: in training_step it runs before Lightning's "
                  f"step, on the weights of one update earlier; move it to {HOOK} (it runs after the step) with what "
                  "it needs")  # fmt: skip
        conv.report.add("T2L923", plan.line(group[0]), reason)
        for statement in group:
            conv.after_step.marks[id(statement)] = ("T2L923", reason) if statement is group[0] else ("", "")
        return
    conv.after_step.statements = [*conv.after_step.statements, *(rename(s, shifted) for s in group)]
    conv.after_step.dropped |= {id(s) for s in group}  # renamed, the moved lines are other nodes
    what = "reads the model"
    if not loads(*group) & (models | readers) and loads(*group) & holders:
        what = "acts on the optimizer or the model through `" + "`, `".join(sorted(loads(*group) & holders)) + "`"
    elif not loads(*group) & (models | readers | holders):
        what = "sets the optimizer's rate for the next step"
    conv.report.add("T2L138", plan.line(group[0]), f"the code at {lines}, after optimizer.step(), {what} -> "
                    f"{HOOK}, which runs after Lightning's step (in training_step it would run before it, one update "
                    "early)")  # fmt: skip


def _with_invariants(tail: list[cst.BaseStatement], group: list[cst.BaseStatement], computed: set[str]) -> list[cst.BaseStatement]:
    """The group, with the lines after the step that compute what it reads from nothing the batch computes and with
    no call (`division_step = n_train // (5 * batch_size)` before `if global_step % division_step == 0:`), and the
    lines those read in turn: the same values in on_train_batch_end."""
    start = next(i for i, s in enumerate(tail) if s is group[0])
    candidates = [s for s in tail[:start] if isinstance(s, cst.SimpleStatementLine) and len(s.body) == 1
                  and isinstance(s.body[0], cst.Assign) and not any(isinstance(n, cst.Call) for n in walk(s))]  # fmt: skip
    found, needed = [], loads(*group)
    for statement in reversed(candidates):  # and the lines those read (`decay_rate = 0.1` before `new_lrate = ...`)
        if writes(statement) & needed:
            found.insert(0, statement)
            needed |= loads(statement)
    bound: set[str] = set()
    for statement in found:
        if loads(statement) & computed - bound:
            return group  # reads what the batch computes: not the same value there
        bound |= writes(statement)
    return [*found, *group]


def _stepped_only_in(plan, group: list[cst.BaseStatement], schedulers: set[str]) -> set[str]:
    """The schedulers the group steps that nothing else in the batch loop steps: they move with it, stepped as the
    loop stepped them (after the optimizer, with their argument: ReduceLROnPlateau on an evaluation's score), and
    configure_optimizers does not return them."""
    steps = [c for c in walk(plan.batch_loop.body) if method_call(c, "step", on=schedulers)]
    inside = {id(c) for s in group for c in walk(s)}
    return {dotted(c.func.value) for c in steps if id(c) in inside} - {dotted(c.func.value) for c in steps if id(c) not in inside}


def _from_the_index(plan, body: list[cst.BaseStatement], group: list[cst.BaseStatement], needs: set[str],
                    computed: set[str]) -> list[cst.BaseStatement]:  # fmt: skip
    """The lines before the group that compute what it needs from the batch index and what the batch does not
    change (DINO's `it = len(data_loader) * epoch + it`, before the teacher's `momentum_schedule[it]`): the same
    value when on_train_batch_end, which gets the index too, computes it again. One assignment of a name, no call
    but len(), reading no name the body bound before it; the name bound nowhere else in the body."""
    target = bound_names(plan.batch_loop.target) if isinstance(plan.batch_loop, cst.For) else set()
    found, bound = [], set()
    for statement in body[: next(i for i, s in enumerate(body) if s is group[0])]:
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
        if (isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name)
                and small.targets[0].target.value in needs and not loads(small.value) & ((computed - target) | bound)
                and all(dotted(n.func) == "len" for n in walk(small.value) if isinstance(n, cst.Call))
                and sum(small.targets[0].target.value in writes(s) for s in body) == 1):  # fmt: skip
            found.append(statement)
        bound |= writes(statement)
    return found


def _unpacking(plan, body: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
    """The body's first lines that only take the batch apart (`inputs, labels = data`, `x = batch[0]`): no call,
    nothing read but the loop's target, nothing assigned again later in the body."""
    target = bound_names(plan.batch_loop.target) if isinstance(plan.batch_loop, cst.For) else set()
    found: list[cst.BaseStatement] = []
    for statement in body:
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 else None
        if not (isinstance(small, cst.Assign) and loads(small.value) <= target and target
                and not any(isinstance(n, cst.Call) for n in walk(small.value))):  # fmt: skip
            break
        found.append(statement)
    later = [s for s in body if not any(s is f for f in found)]
    return [] if found and writes(*found) & writes(*later) else found


def _counted_before(conv, body, group: list[cst.BaseStatement]) -> dict[str, cst.BaseExpression] | None:
    """None where the block reads a running total (the rules make it a logged metric: moved, it would read 0);
    else what its step counters read as in on_train_batch_end, where a counter is self.global_step, which has
    counted this batch's step (one optimizer, no accumulation): as it is where the loop incremented it before the
    block, `(step - 1)` where it increments it after (NeRF's `new_lrate = lrate * decay ** (global_step / n)`
    before `global_step += 1`)."""
    totals, counters = conv.accumulated(conv.plan.batch_loop, conv.plan.scope)
    # a counter a function of the script reads stays a global, counted in training_step: by on_train_batch_end it has
    # counted this batch as well
    counters |= script_globals.shared(conv) & _incremented(body)
    read = loads(*group)
    if read & totals:
        return None
    if not read & counters:
        return {}
    if conv.conditions and conv.conditions.accumulation:
        return None
    first = next(i for i, s in enumerate(body) if s is group[0])
    shifted: dict[str, cst.BaseExpression] = {}
    for name in read & counters:
        before, after = (any(name in writes(s) for s in part) for part in (body[:first], body[first:]))
        if before == after:
            return None  # counted on both sides of it, or nowhere in the loop
        if after:
            shifted[name] = cst.parse_expression(f"({name} - 1)")
    return shifted


def _read_by_functions_before_counted(conv, body, group: list[cst.BaseStatement]) -> set[str]:
    """The counters kept as globals (a function of the script reads them) that a function the group calls reads
    while the loop increments them only after the group (`group["lr"] = scheduled_lr()` before `global_step += 1`):
    in on_train_batch_end training_step has counted this batch already, and no rename reaches into the function."""
    first = next(i for i, s in enumerate(body) if s is group[0])
    counted = script_globals.shared(conv) & _incremented(body[first:]) - _incremented(body[:first])

    def reads_it(name: str) -> bool:
        return any(in_called_functions(conv.plan.module, s, lambda n: isinstance(n, cst.Name) and n.value == name) for s in group)

    return {name for name in counted if reads_it(name)}


def _incremented(statements: list[cst.BaseStatement]) -> set[str]:
    """The names the statements increment (`global_step += 1`)."""
    return {dotted(n.target) for s in statements for n in walk(s) if isinstance(n, cst.AugAssign)}


def _returned_loss(conv, body) -> str | None:
    """The one name the loop calls `.backward()` on, when Lightning hands it to on_train_batch_end unchanged (no
    accumulation, which divides it; not assigned again after its backward)."""
    if conv.conditions and conv.conditions.accumulation:
        return None
    names = {dotted(n.func.value) for s in body for n in walk(s) if method_call(n, "backward")}
    if len(names) != 1 or not (name := names.pop()) or "." in name:
        return None
    return None if name in backward.rebound_losses(conv.plan.batch_loop, conv.plan.line) else name


def _holders(plan, held: set[str]) -> set[str]:
    """Names bound, outside the batch loop, to an object built from a model or an optimizer (`policy =
    WarmupCosine(optimizer, ...)`, `ema = EMA(model)`): its methods act on what it holds (`policy.step()` sets the
    optimizer's rate for the next step), so after the step they must run after Lightning's."""
    calls = planning.assigned_calls(plan.module, index=plan.index)
    return {name for name, built in calls.items() if name not in held and any(
        loads(*c.args) & held for c in built if c.args and not plan.index.contains(plan.batch_loop, c))}  # fmt: skip


def _group(tail: list[cst.BaseStatement], models: set[str], optimizers: set[str]) -> list[cst.BaseStatement]:
    """The statements after the step that read the model or set an optimizer's rate, with every later one that
    reads what they bind: they move together or not at all (a value one computes, the next prints)."""
    group: list[cst.BaseStatement] = []
    for statement in tail:
        used = loads(statement)
        if used & models or _sets_a_rate(statement, optimizers) or (group and used & writes(*group)):
            group.append(statement)
    return group


def _sets_a_rate(statement: cst.BaseStatement, optimizers: set[str]) -> bool:
    """`optimizer.param_groups[0]["lr"] *= 1.6`, `for g in optimizer.param_groups: g["lr"] = lr`: after the step,
    the rate of the next one (an LR range test's sweep); in training_step it would change this step's rate."""
    groups = {f"{name}.param_groups" for name in optimizers}
    for node in walk(statement):
        if isinstance(node, cst.For) and dotted(node.iter) in groups:
            return any(isinstance(t, cst.Subscript) for n in walk(node.body) for t in targets_of(n))
        if any(isinstance(t, cst.Subscript) and code(t).split("[")[0] in groups for t in targets_of(node)):
            return True
    return False


def hook(conv, batch_idx: str | None) -> Hook | None:
    """on_train_batch_end(self, outputs, <the batch>, batch_idx) with the moved statements, or None."""
    if not conv.after_step.statements:
        return None
    params, unpack = batch_params(conv.plan.batch_loop, batch_idx)
    moved = [s.with_changes(leading_lines=[]) if i == 0 else s for i, s in enumerate(conv.after_step.statements)]
    unpack = [s for s in [*unpack, *conv.after_step.unpacked] if writes(s) & loads(*moved)]
    if conv.after_step.loss:
        unpack += parse_statements(f'{conv.after_step.loss} = outputs["loss"]\n')
    return Hook(HOOK, ["outputs", *params], [*unpack, *moved], conv.plan.scope, conv.plan.binding)


def carried(conv) -> set[str]:
    """State the moved statements keep from one batch to the next (`best_loss`, the BERT scripts' `logging_loss`):
    attributes, like the training's."""
    return batch_state.carried(conv, conv.after_step.statements)


def _steps(node: cst.CSTNode, steppers: set[str]) -> bool:
    """`optimizer.step(...)` or `scaler.step(optimizer)`."""
    return method_call(node, "step", on=steppers)


def _model_readers(module: cst.Module, models: set[str], called: set[str]) -> set[str]:
    """Of the module-level functions `called`, those that read a model as a global (`estimate_loss()` calling
    `model`), or call a function that does."""
    functions = {s.name.value: s for s in module.body if isinstance(s, cst.FunctionDef)}
    known: dict[str, bool] = {}
    return {name for name in called & functions.keys() if _reads_model(name, functions, models, known)}


def _reads_model(name: str, functions: dict[str, cst.FunctionDef], models: set[str], known: dict[str, bool]) -> bool:
    if name not in known:
        known[name] = False  # recursion: not (yet) a reader
        function = functions[name]
        names = {n.value for n in walk(function.body) if isinstance(n, cst.Name)}
        parameters = {p.name.value for p in function.params.params}
        known[name] = bool((names - parameters) & models) or any(
            _reads_model(f, functions, models, known) for f in names & functions.keys())  # fmt: skip
    return known[name]


def _names_outside(scope: cst.CSTNode, statements: list[cst.BaseStatement]) -> set[str]:
    """The names read in `scope` outside `statements` that may see what `statements` bound: not counting the
    bodies of other functions and classes, the variables of comprehensions (their own scope), nor the targets of
    another `for` inside its body (`for p in ema.parameters(): p.requires_grad_(False)` binds its own `p`). A walk
    of the statements (a few levels deep); each statement's own expressions are read by `loads`."""
    skipped = {id(s) for s in statements}
    body = scope.body.body if isinstance(scope, cst.FunctionDef) else scope.body  # type: ignore[union-attr]
    used = [_used(statement, skipped) for statement in body]
    first = next((i for i, (_, holds) in enumerate(used) if holds), 0)  # what runs before the loop cannot see it
    return set().union(*(names for names, _ in used[first:]))


def _used(node: cst.CSTNode, skipped: set[int]) -> tuple[set[str], bool]:
    """The names a statement reads (see `_names_outside`), and whether the skipped statements are inside it."""
    if id(node) in skipped:
        return set(), True
    if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
        return set(), False
    headers, blocks = _parts(node)
    found, holds = loads(*headers) if headers else set(), False
    for block in blocks:
        for statement in block:
            names, inside = _used(statement, skipped)
            found |= names
            holds |= inside
    if isinstance(node, cst.For) and not holds and isinstance(node.body, cst.IndentedBlock):
        # a loop of its own (a test pass after training): what its body reads before binding it, each pass
        found = _each_pass_reads(node, list(node.body.body)) | (loads(node.orelse) if node.orelse else set())
    elif isinstance(node, (cst.For, cst.While)) and holds and isinstance(node.body, cst.IndentedBlock):
        body = list(node.body.body)
        if any(id(statement) in skipped for statement in body):  # the batch loop around the group:
            # its other statements see what the group bound only where they read it before binding it, the loop's
            # next pass starting from its target (`for inputs, labels in valid_loader:` in the group does not
            # reach the training's `output, h = net(inputs, h)`, which reads the batch's own `inputs`)
            others = [statement for statement in body if id(statement) not in skipped]
            last = max(i for i, statement in enumerate(body) if id(statement) in skipped)
            later = set().union(*(_used(statement, skipped)[0] for statement in body[last + 1 :]))
            found = _each_pass_reads(node, others) | later
    return found, holds


def _each_pass_reads(loop: cst.For | cst.While, body: list[cst.BaseStatement]) -> set[str]:
    """What a loop's header and `body` read before binding it, each pass starting from the loop's own target."""
    target = bound_names(loop.target) if isinstance(loop, cst.For) else set()
    return loads(loop.iter if isinstance(loop, cst.For) else loop.test) | (first_reads(*body) - target)


def _parts(statement: cst.CSTNode) -> tuple[list[cst.CSTNode], list[list[cst.CSTNode]]]:
    """A statement's own expressions and the blocks of statements it holds (a simple statement: itself, none)."""
    def block(suite) -> list[cst.CSTNode]:
        return list(suite.body.body if isinstance(suite, cst.Else | cst.Finally) else suite.body) if suite else []

    if isinstance(statement, (cst.For, cst.While)):
        return [statement.iter if isinstance(statement, cst.For) else statement.test], [block(statement.body), block(statement.orelse)]
    if isinstance(statement, cst.If):
        orelse = [statement.orelse] if isinstance(statement.orelse, cst.If) else block(statement.orelse)
        return [statement.test], [block(statement.body), orelse]
    if isinstance(statement, cst.With):
        return [item.item for item in statement.items], [block(statement.body)]
    if isinstance(statement, cst.Try):
        handlers = [h.type for h in statement.handlers if h.type is not None]
        return handlers, [block(statement.body), *(block(h.body) for h in statement.handlers),
                          block(statement.orelse), block(statement.finalbody)]  # fmt: skip
    return [statement], []


def _saves(plan, statement: cst.BaseStatement) -> bool:
    """A `torch.save`: checkpoint_save removes it (Lightning's ModelCheckpoint saves)."""
    return any(isinstance(n, cst.Call) and plan.imports.call_name(n) == "torch.save" for n in walk(statement))


def _leaves_the_loop(statement: cst.BaseStatement) -> bool:
    """`break`, `continue` or `return` anywhere in it: the rules that own those decide."""
    return any(isinstance(n, (cst.Break, cst.Continue, cst.Return)) for n in walk(statement))
