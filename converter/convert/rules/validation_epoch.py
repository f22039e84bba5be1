"""What an evaluation computes around its loop (T2L136): totals reset before it, a summary after it.

    with torch.no_grad():                              def on_validation_epoch_start(self):
        total_loss = 0.0                                   self.total_loss = 0.0
        for x, y in val_loader:                        def validation_step(self, batch, batch_idx):
            total_loss += criterion(model(x), y)  ->       ...; self.total_loss += ...
        val_loss = total_loss / len(val_loader)        def on_train_epoch_end(self):
    if val_loss < best: ...                                val_loss = self.total_loss / len(self.val_loader)
                                                           if val_loss < best: ...

A running total the code after the loop reads (a mean, an accuracy, a best-model check), or the loop itself (a
progress line each batch), and what the evaluation builds before its loop for it (`top1 = AverageMeter()`), is
kept as an attribute:
reset in `on_validation_epoch_start`, added to in `validation_step`. The statements after the loop (in its
`with` block, or after the loop in the evaluation function, its returned value assigned as the call did) run at
the start of `on_train_epoch_end`, which Lightning calls after the epoch's validation, as the loop ran them.
A summary computed from them is logged at epoch end (`self.log("val_loss", val_loss)`: a ReduceLROnPlateau can
monitor it); a print of them prints what the loop printed. Totals nothing reads afterwards stay epoch sums logged
by `self.log` (T2L121).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import libcst as cst

from converter.analysis import walk
from converter.convert import plan as planning
from converter.convert.edits import block_of, parse_statements
from converter.convert.hook import Hook
from converter.convert.loops import totals_the_loop_reads
from converter.convert.rules import metric_logging, mode_switch
from converter.names import (
    bound_names,
    code,
    dotted,
    is_declaration,
    is_docstring,
    loads,
    reads,
    rename,
    replace_node,
    targets_of,
    writes,
)

CODES = {
    "T2L136": "totals an evaluation loop keeps for code after it -> attributes reset in on_validation_epoch_start",
    "T2L181": "an evaluation's own statement before its loop that no rule maps (a print, a draw from torch's RNG) "
              "-> on_validation_epoch_start, where the evaluation ran it",
}


@dataclass
class Around:
    loop: cst.For
    scope: planning.Scope
    binding: dict[str, cst.BaseExpression]
    before: list[cst.BaseStatement]  # the evaluation's own statements before its loop
    after: list[cst.BaseStatement]  # ... and after it (the returned value assigned as the call did)
    holder: cst.BaseStatement  # the epoch-loop statement that holds the evaluation (a `with`, the call)
    lines: dict[int, int] = field(default_factory=dict)  # id of a statement of `after_loop` -> its input line
    logged: list[tuple[str, str]] = field(default_factory=list)  # (name, key): summaries logged at epoch end
    renames: dict[str, cst.BaseExpression] = field(default_factory=dict)  # a total the training also names -> val_<name>
    moves: bool = False  # the statements after the loop open on_train_epoch_end
    caller: cst.BaseStatement | None = None  # the epoch loop's statement that used the returned value (a print)
    callers: set[int] = field(default_factory=set)  # ... its id in after_loop's result
    last_batch: set[str] = field(default_factory=set)  # the loop's target, read after it: kept by validation_step
    unmapped: list[cst.BaseStatement] = field(default_factory=list)  # `before` statements no rule maps (T2L181)


def plan_totals(conv) -> None:
    """The validation's running totals read after its loop: attributes, not logged sums (conv.val_carried)."""
    around = conv.val_around = _around(conv)
    if around is None:
        return
    totals, _ = conv.accumulated(around.loop, around.scope)
    read_in_loop = totals_the_loop_reads(conv.plan.index, around.loop, around.scope)  # a per-batch progress line
    epoch = epoch_statements(conv)
    later = [*around.after, *epoch[epoch.index(around.holder) + 1 :]]
    own = [s for s in around.after if not metric_logging.is_print(s)]  # the evaluation's code after its loop
    state = _state_before(around, epoch[: epoch.index(around.holder)], _trained(conv))
    around.unmapped = _unmapped_before(conv, around, totals | state)
    state |= writes(*around.unmapped) & loads(*later)  # `samples = decode(torch.randn(8, 2))`, printed at epoch end
    # the loop's own target as its last batch left it (`running_vloss / (i + 1)`): validation_step keeps it on self,
    # unless the training's code after its loop reads its own of that name (one attribute cannot be both indexes)
    around.last_batch = (bound_names(around.loop.target) & loads(*later)) - totals - _training_last(conv) if later else set()
    if not read_in_loop and not own and not state and not around.last_batch and (not later or not totals & loads(*later)):
        return  # totals nothing reads after the loop stay epoch sums (T2L121)
    around.moves = True  # the evaluation function goes: what it runs after its loop must run somewhere
    conv.val_carried = (totals & loads(*later)) | read_in_loop | state | around.last_batch  # a print moved beside the code reads them too
    # what the evaluation computed before its loop for after it (`num_batches = len(loader)`) moves along
    needed = [s for s in around.before if writes(s) & loads(*around.after) and not writes(s) <= conv.val_carried]
    around.after = needed + around.after
    for statement in around.after:  # a summary of the kept totals (a mean, an accuracy) is logged as a metric
        if isinstance(statement, cst.SimpleStatementLine) and loads(statement) & conv.val_carried:
            for name in sorted(_summaries(statement, _collections(conv.plan.index))):
                key = name if name.startswith("val") else f"val_{name}"
                if all(key != k for _, k in around.logged):
                    around.logged.append((name, key))


def _training_last(conv) -> set[str]:
    """The training loop's target names that code after that loop reads (mixup's `train_loss / (batch_idx + 1)`)."""
    from converter.convert.rules import epoch_body  # it imports this module

    loop = conv.plan.batch_loop
    return bound_names(loop.target) & epoch_body.read_after_the_batch_loop(conv) if isinstance(loop, cst.For) else set()


def _state_before(around: Around, epoch_before: list[cst.BaseStatement], trained: set[str]) -> set[str]:
    """What the evaluation builds before its loop for the loop to use (`losses = AverageMeter()`, `preds = []`), in
    its own statements or in the epoch loop's before it (not what the training uses there): built again in
    on_validation_epoch_start, as each evaluation had it built."""
    totalled = {dotted(n.target) for n in walk(around.loop.body) if isinstance(n, cst.AugAssign)}  # totals: above
    used = reads(around.loop.body) - totalled

    def built(statements: list[cst.BaseStatement]) -> set[str]:
        return {name for s in statements if _plain_assignment(s) for name in writes(s) & used}

    return (built(epoch_before) - trained) | built(around.before)


def _plain_assignment(statement: cst.BaseStatement) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(isinstance(s, (cst.Assign, cst.AnnAssign)) for s in statement.body)


def logged_keys(conv) -> list[str]:
    """The metric keys the epoch end logs for the validation (for a ReduceLROnPlateau monitor)."""
    return [key for _, key in conv.val_around.logged] if conv.val_around is not None and conv.val_carried else []


def last_batch_kept(conv) -> list[cst.BaseStatement]:
    """validation_step's last statements: `self.i = i` for each of the loop's names the code after it reads."""
    around = conv.val_around
    names = sorted(around.last_batch) if around is not None else []
    return parse_statements("".join(f"self.{n} = {n}\n" for n in names)) if names else []


def start_hook(conv) -> Hook | None:
    """on_validation_epoch_start: the resets of the kept totals (before the loop, or in the epoch loop), and the
    evaluation's own statements before its loop that no rule maps, in the script's order."""
    around = conv.val_around
    if around is None or not (conv.val_carried or around.unmapped):
        return None
    around.renames = {n: cst.Name(f"val_{n}") for n in sorted(conv.val_carried & _trained(conv))}  # two totals, two names
    resets = [s for s in epoch_statements(conv) if is_reset(conv, s) or is_evaluation_reset(conv, s)]
    unmapped = {id(s) for s in around.unmapped}
    resets += [s for s in around.before if is_reset(conv, s, of_the_evaluation=True) or id(s) in unmapped]
    for statement in around.unmapped:
        conv.report.add("T2L181", conv.plan.line(statement))
    if conv.val_carried:
        names = ", ".join(f"`{n}`" for n in sorted(conv.val_carried))
        conv.report.add("T2L136", conv.plan.line((resets + [around.loop])[0]),
                        f"{names} kept for the code after the evaluation loop -> attributes reset in on_validation_epoch_start")  # fmt: skip
    return Hook("on_validation_epoch_start", [], [renamed(conv, s) for s in resets], around.scope, around.binding)


def _unmapped_before(conv, around: Around, kept: set[str]) -> list[cst.BaseStatement]:
    """The evaluation's statements before its loop that no rule maps: not a reset of what the loop totals or keeps,
    binding nothing the loop or the code after it reads (a `print("evaluating")`, `torch.manual_seed(0)`,
    a sample decoded from `torch.randn`). Dropped, a draw among them shifted every later draw from torch's RNG."""
    read = loads(around.loop, *around.after)
    return [s for s in around.before if not writes(s) & (kept | read) and not is_docstring(s) and not is_declaration(s)]


def updates_first(conv, hooks: list[Hook], statements: list[cst.BaseStatement]) -> list[Hook]:
    """The hooks with on_validation_epoch_start running `statements` (an EMA update of the model the evaluation runs,
    epoch-loop statements) before its resets; made for them when there is none."""
    if not statements:
        return hooks
    start = next((h for h in hooks if h.name == "on_validation_epoch_start"), None)
    if start is None:
        return [*hooks, Hook("on_validation_epoch_start", [], statements, conv.plan.site_scope, {})]
    return [replace(h, body=[*statements, *h.body]) if h is start else h for h in hooks]


def renamed(conv, node):
    """A statement of the validation in its own names: a total the training also names is `val_<name>`."""
    return rename(node, conv.val_around.renames) if conv.val_around is not None and conv.val_around.renames else node


def attributes(conv) -> set[str]:
    """The names the kept totals have in the hooks (each becomes `self.<name>`)."""
    if conv.val_around is None:
        return set()
    renames = conv.val_around.renames
    return {renames[n].value if n in renames else n for n in conv.val_carried}  # type: ignore[attr-defined]


def epoch_statements(conv) -> list[cst.BaseStatement]:
    loop = conv.plan.epoch_loop
    return list(loop.body.body) if loop is not None and isinstance(loop.body, cst.IndentedBlock) else []


def after_loop(conv) -> list[cst.BaseStatement]:
    """The statements after the evaluation loop, in the names of the epoch loop: they open on_train_epoch_end."""
    around = conv.val_around
    if around is None or not around.moves:
        return []
    found = []
    for statement in around.after:
        renamed_statement = renamed(conv, rename(statement, dict(around.binding)))
        around.lines[id(renamed_statement)] = around.lines.get(id(statement)) or conv.plan.line(statement)
        if statement is around.caller:
            around.callers.add(id(renamed_statement))
        found.append(renamed_statement)
        for name, key in around.logged:
            if name in _assigned_names(statement) and not any(name in _assigned_names(s) for s in _later(around, statement)):
                log = renamed(conv, parse_statements(f'self.log("{key}", {name})\n')[0])
                around.lines[id(log)] = around.lines[id(renamed_statement)]
                found.append(log)
    return found


def _later(around: Around, statement: cst.BaseStatement) -> list[cst.BaseStatement]:
    return around.after[next(i for i, s in enumerate(around.after) if s is statement) + 1 :]


def _assigned_names(statement: cst.BaseStatement) -> set[str]:
    """Plain names a statement line assigns (`val_loss, acc = ...`, `loss /= n`)."""
    small = statement.body if isinstance(statement, cst.SimpleStatementLine) else []
    return {name for node in small for target in targets_of(node) for name in bound_names(target)}


# calls that build a collection, not a number: what they return `self.log` refuses (a list, a tensor of many values)
COLLECTIONS = {"list", "tuple", "dict", "sorted", "zip", "torch.cat", "torch.stack", "torch.tensor", "np.array",
               "np.concatenate", "np.stack", "np.vstack", "np.hstack", "numpy.array", "numpy.concatenate"}


def _collections(index) -> set[str]:
    """Names the module assigns a collection (`fin_outputs = []`, `preds = torch.cat(preds)`): `self.log` refuses
    what they hold."""
    return {dotted(t.target) for a in index.of_kind(cst.Assign) if _collection(a.value) for t in a.targets
            if isinstance(t.target, cst.Name)}  # fmt: skip


def _collection(value: cst.BaseExpression | None) -> bool:
    if isinstance(value, (cst.List, cst.ListComp, cst.Dict, cst.DictComp, cst.Set, cst.SetComp)):
        return True
    return isinstance(value, cst.Call) and dotted(value.func) in COLLECTIONS


def _summaries(statement: cst.BaseStatement, collections: set[str]) -> set[str]:
    """The names a statement line assigns a value to log (`val_loss = total / n`, `acc1 = top1.avg`): not a
    collection (`outputs, targets = fin_outputs, fin_targets`, the lists an evaluation function returned, nor
    `preds = torch.cat(preds)`)."""
    found: set[str] = set()
    for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else []:
        if isinstance(small, cst.AugAssign):  # `val_loss /= len(loader)`
            found |= bound_names(small.target) - collections
            continue
        value = getattr(small, "value", None)
        for target in targets_of(small):
            pairs = (list(zip(target.elements, value.elements))
                     if isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple) and len(target.elements) == len(value.elements)
                     else [(target, value)])  # fmt: skip
            for part, part_value in pairs:
                part = part.value if isinstance(part, cst.Element) else part
                part_value = part_value.value if isinstance(part_value, cst.Element) else part_value
                if not (_collection(part_value) or (isinstance(part_value, cst.Name) and part_value.value in collections)):
                    found |= bound_names(part) - collections
    return found


def line(conv, statement: cst.BaseStatement) -> int:
    """The input line of a statement `after_loop` gave."""
    return conv.val_around.lines.get(id(statement), 0)


def origin(conv, statement: cst.BaseStatement) -> str:
    """Whose a statement `after_loop` gave is: the epoch loop's (the call's own statement, `print(f"acc
    {evaluate(model)}")`, reading the training's values as the loop left them) or the evaluation's."""
    return "epoch-loop" if id(statement) in conv.val_around.callers else "evaluation"


def is_reset(conv, stmt: cst.BaseStatement, of_the_evaluation: bool = False) -> bool:
    """A reset of a kept total (`total = 0`, not `total /= n`) or a rebuilt meter: on_validation_epoch_start runs
    it. In the epoch loop, a statement that names what the training also uses is the training's."""
    if not conv.val_carried or not _plain_assignment(stmt):
        return False
    names = _assigned_names(stmt)  # not a comprehension's own variable (`{c: 0 for c in classes}`)
    return bool(names) and names <= conv.val_carried and (of_the_evaluation or not names & _trained(conv))


def is_evaluation_reset(conv, stmt: cst.BaseStatement) -> bool:
    """A reset in the epoch loop after the training and before the evaluation: there a total the training also
    names (`running_loss = 0.0`, used again) is the evaluation's."""
    return any(stmt is s for s in _between(conv)) and is_reset(conv, stmt, of_the_evaluation=True)


def after_the_evaluation(conv, stmt: cst.BaseStatement) -> cst.BaseStatement:
    """An epoch-loop statement after an inline evaluation, in the evaluation's names: after its loop, a total the
    training also names (`running_loss`) holds the evaluation's sum (`print(running_loss / len(val_loader))`). (An
    evaluation function's totals are its own locals: after its call the name is the training's.)"""
    around = conv.val_around
    epoch = epoch_statements(conv)
    if around is None or not around.renames or not _inline(conv) or stmt not in epoch[epoch.index(around.holder) + 1 :]:
        return stmt
    new = renamed(conv, stmt)
    if new is not stmt:
        around.lines[id(new)] = conv.plan.line(stmt)
    return new


def _between(conv) -> list[cst.BaseStatement]:
    """The epoch loop's statements after the one holding the training and before the evaluation's."""
    around, plan, epoch = conv.val_around, conv.plan, epoch_statements(conv)
    anchor = plan.train_call if plan.train_call is not None else plan.batch_loop
    training = next((i for i, s in enumerate(epoch) if plan.index.contains(s, anchor)), None)
    if around is None or training is None or not _inline(conv):
        return []
    return epoch[training + 1 : epoch.index(around.holder)]


def _inline(conv) -> bool:
    """The evaluation loop is in the epoch loop itself (its totals are the epoch loop's names), not in a function."""
    around = conv.val_around
    return around is not None and not isinstance(conv.plan.val, planning.Called) and around.holder in epoch_statements(conv)


def _trained(conv) -> set[str]:
    """Names the training loop and the statements before it use."""
    return conv.carried | writes(conv.plan.batch_loop.body) | (writes(*conv.prelude) if conv.prelude else set())


def _around(conv) -> Around | None:
    """The validation's own statements around its loop: in the `with` block that holds an inline loop, or in the
    evaluation function (its return assigned as the call did), when that block or call is a statement of the
    epoch loop. An evaluation function whose result that statement uses in a way `_returned` does not follow (two
    calls in one statement) stays a call, run at epoch end as the loop ran it (plan.kept, T2L140; plan.val None):
    its validation hooks could not give the statement its value, and the statement must not go with the call."""
    plan = conv.plan
    called, epoch = plan.val, epoch_statements(conv)
    if called is None or plan.phase:
        return None
    if isinstance(called, planning.Called):
        function = called.scope
        block = list(function.body.body) if isinstance(function.body, cst.IndentedBlock) else []
        position = next((i for i, s in enumerate(block) if plan.index.contains(s, called.loop)), None)
        if position is None or not any(s is called.call_stmt for s in epoch):
            return None
        before, after = block[:position], block[position + 1 :]
        returned = _returned(after, called.call_stmt, function.name.value)
        if returned is False:
            statement = called.call_stmt
            used = code(statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else statement).strip()
            plan.kept.append((statement, f"its result is used in a way the validation hooks cannot give it "
                              f"(`{used[:60]}`): the call stays at epoch end, where the loop ran it"))  # fmt: skip
            plan.val = None
            return None
        kept = [s for s in after if not _is_return(s)] + ([returned] if returned is not None else [])
        around = Around(called.loop, function, called.binding, _own(before), kept, called.call_stmt)
        if returned is not None:  # the return statement's line, or the statement that used the value
            used = not (isinstance(returned, cst.SimpleStatementLine) and isinstance(returned.body[0], cst.Assign)
                        and writes(returned) == writes(called.call_stmt))  # fmt: skip
            around.caller = returned if used else None
            around.lines[id(returned)] = plan.line(called.call_stmt if used else after[-1])
        return around
    block = block_of(plan.index, called)
    holder = plan.index.parent(plan.index.parent(called))
    if block is None or not isinstance(holder, cst.With) or not any(s is holder for s in epoch):
        return None
    position = next(i for i, s in enumerate(block) if s is called)
    return Around(called, *plan.home(called), _own(block[:position]), block[position + 1 :], holder)


def _own(statements: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
    return [s for s in statements if not mode_switch.is_eval(s)]


def _is_return(stmt: cst.BaseStatement) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and isinstance(stmt.body[-1], cst.Return)


def _returned(after: list[cst.BaseStatement], call_stmt: cst.BaseStatement, function: str) -> cst.BaseStatement | None | bool:
    """The calling statement with the returned expression in the call's place: `<targets> = <returned>` for
    `<targets> = evaluate(...)`, `print(f"acc {<returned>:.3f}")` for `print(f"acc {evaluate(...):.3f}")`; None
    for a bare call; False for a shape this does not follow (an early return, two calls in one statement)."""
    small = call_stmt.body[0] if isinstance(call_stmt, cst.SimpleStatementLine) and len(call_stmt.body) == 1 else None
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call) and dotted(small.value.func) == function:
        return None
    returns = [s for s in after if _is_return(s)]
    if len(returns) != 1 or returns[0] is not after[-1] or returns[0].body[-1].value is None:  # type: ignore[union-attr]
        return False
    value = returns[0].body[-1].value  # type: ignore[union-attr]
    if isinstance(small, cst.Assign) and isinstance(small.value, cst.Call) and dotted(small.value.func) == function:
        return call_stmt.with_changes(body=[small.with_changes(value=value)], leading_lines=[])  # type: ignore[union-attr]
    placed = returned_in_place(call_stmt, function, value)
    return False if placed is None else placed


def returned_in_place(statement: cst.BaseStatement, function: str, value: cst.BaseExpression) -> cst.BaseStatement | None:
    """The statement with its one call of `function` replaced by the value the function returns
    (`losses.append(<value>)` for `losses.append(train(...))`); None unless it calls it exactly once."""
    calls = [n for n in walk(statement) if isinstance(n, cst.Call) and dotted(n.func) == function]
    if len(calls) != 1:
        return None
    if isinstance(value, cst.Tuple) and not value.lpar:  # `return loss, acc` read as `evaluate(...)[1]`
        value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    # the call becomes a placeholder name, which `rename` replaces as it would a name (bracketed, requoted)
    placeholder = replace_node(statement, calls[0], cst.Name("_t2l_returned"))
    return rename(placeholder, {"_t2l_returned": value}).with_changes(leading_lines=[])
