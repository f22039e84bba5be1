"""`training_step(self, batch, batch_idx, optimizer_idx)` -> manual optimization (T2L222; TODO T2L954).

1.x called training_step once per optimizer and did backward/step/zero_grad itself, switching off the other
optimizers' parameters in between. 2.x removed that; the documented replacement, written here for the
usual GAN shape (`if optimizer_idx == 0: ... return loss` / `if optimizer_idx == 1: ... return loss`):

    opt_0, opt_1 = self.optimizers()
    self.toggle_optimizer(opt_0); ...; self.manual_backward(loss); opt_0.step(); opt_0.zero_grad()
    self.untoggle_optimizer(opt_0)   ... and the same for opt_1.
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import walk
from converter.names import code, reads, writes
from converter.syntax import named, without_params
from converter.upgrade.engine import Upgrade, kwarg
from converter.upgrade.hooks import initialise, methods, own_returns, param_names

CODES = {
    "T2L222": "optimizer_idx in training_step -> manual optimization with toggle_optimizer",
    "T2L954": "optimizer_idx: shape not recognised, or manual optimization needs a hand-made change here",
}

INDEX = "optimizer_idx"


def upgrade_optimizer_idx(up: Upgrade) -> None:
    for cls in up.lightning_classes():
        defined = methods(cls)
        step = defined.get("training_step")
        if step is None or INDEX not in param_names(step):
            # one optimizer: a hook in its 1.x signature (`optimizer_zero_grad(self, epoch, batch_idx, optimizer,
            # optimizer_idx)`) that never reads the index loses the parameter; optimizer_step has a module of its own
            for name, method in defined.items():
                if name != "optimizer_step" and INDEX in param_names(method) and INDEX not in reads(method.body):
                    _other_hook(up, method)
            continue
        if INDEX not in reads(step.body):  # unused (the step already optimizes by hand): only the parameter goes
            for method in defined.values():
                if INDEX in param_names(method):
                    _other_hook(up, method)
            continue
        branches = _branches(up, step)
        if branches is None:
            up.todo("T2L954", step, "training_step branches on optimizer_idx in a shape t2l does not know: "
                    "rewrite it with self.automatic_optimization = False and self.optimizers()")  # fmt: skip
            continue
        keep_outputs = "training_epoch_end" in defined
        _rewrite_step(up, step, branches, keep_outputs)
        if keep_outputs:  # hooks.py writes on_train_epoch_end with one output list per optimizer, as 1.x passed
            up.scratch[("optimizers", id(cls))] = [len(branches[1])]
        initialise(up, cls, ["self.automatic_optimization = False  # t2l T2L222: one step per optimizer, by hand"])
        again = " (the code before the branches runs for each, as in 1.x)" if _split_prelude(branches[0])[1] else ""
        up.mapped("T2L222", step, f"training_step with optimizer_idx -> manual optimization over {len(branches[1])} "
                  f"optimizers{again}")  # fmt: skip
        if "global_step" in code(step.body):
            up.todo("T2L954", step, f"self.global_step now counts every optimizer's step ({len(branches[1])} a batch), as "
                    "1.6-1.9 did; code written for 1.5 or older, where it counted batches, compares it with thresholds "
                    "(and sets max_steps) meant for batches: divide by the number of optimizers there if so")  # fmt: skip
        for name, method in defined.items():
            if name != "training_step" and INDEX in param_names(method):
                _other_hook(up, method)
        _schedulers_and_clipping(up, defined)


def _index_of(test: cst.BaseExpression) -> int | None:
    """`optimizer_idx == 1` (either way round) -> 1."""
    if not (isinstance(test, cst.Comparison) and len(test.comparisons) == 1):
        return None
    target = test.comparisons[0]
    if not isinstance(target.operator, cst.Equal):
        return None
    left, right = test.left, target.comparator
    if isinstance(right, cst.Name) and right.value == INDEX:
        left, right = right, left
    if isinstance(left, cst.Name) and left.value == INDEX and isinstance(right, cst.Integer):
        return int(right.value)
    return None


def _branches(up: Upgrade, step: cst.FunctionDef):
    """(prelude, [(index, body statements without the final return, returned expression)]) or None."""
    statements = list(step.body.body)
    prelude: list[cst.BaseStatement] = []
    while statements and INDEX not in reads(statements[0]):
        prelude.append(statements.pop(0))
    shared = _shared_return(statements)  # `loss = None; if ...: loss = ... elif ...: loss = ...; return loss`
    if shared is not None:
        statements = statements[:-1]
    branches: list[tuple[int, list[cst.BaseStatement], cst.BaseExpression, list[cst.EmptyLine]]] = []
    for statement in statements:
        node = statement
        while isinstance(node, cst.If):
            index = _index_of(node.test)
            if index is None:
                return None
            comments = [line for line in node.leading_lines if line.comment is not None] if node is statement else []
            branches.append((index, *_split_return(node.body.body, shared), comments))
            node = node.orelse
            if isinstance(node, cst.Else):
                branches.append((len(branches), *_split_return(node.body.body, shared), []))
                node = None
            elif isinstance(node, cst.If):
                continue
        if node is not None and node is statement:
            return None  # something other than an `if optimizer_idx == k` at top level
    indices = [b[0] for b in branches]
    if indices != list(range(len(branches))) or len(branches) < 2:
        return None
    if any(body is None for _, body, _, _ in branches):
        return None
    if any(INDEX in writes(*body) for _, body, _, _ in branches):
        return None
    # inside `if optimizer_idx == k:` the index is k: passed on (`self.loss(..., optimizer_idx, ...)`), it is written k
    branches = [(k, [s.visit(_Literal(k)) for s in body], returned.visit(_Literal(k)), comments)
                for k, body, returned, comments in branches]  # fmt: skip
    return prelude, branches


class _Literal(cst.CSTTransformer):
    def __init__(self, index: int) -> None:
        self.index = index

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        return cst.Integer(str(self.index)) if updated.value == INDEX else updated

    def leave_Arg(self, original: cst.Arg, updated: cst.Arg) -> cst.Arg:  # a keyword named optimizer_idx stays
        if original.keyword is not None and original.keyword.value == INDEX:
            return updated.with_changes(keyword=original.keyword)
        return updated


def _shared_return(statements: list[cst.BaseStatement]) -> cst.Name | None:
    """The `return loss` (or `return {"loss": loss}`) after the branches, when every branch assigns `loss`."""
    if len(statements) < 2 or not isinstance(statements[-1], cst.SimpleStatementLine):
        return None
    last = statements[-1].body
    if len(last) == 1 and isinstance(last[0], cst.Return) and last[0].value is not None:
        loss = cst.parse_expression(_loss_of(last[0].value))
        return loss if isinstance(loss, cst.Name) else None
    return None


def _split_return(body, shared: cst.Name | None = None):
    """A branch body ending with `return <expr>` and no other return -> (statements, expr); a branch that assigns
    the name returned after all branches -> (statements, that name); else (None, None)."""
    statements = list(body)
    if shared is not None and not any("return" in code(s) for s in statements) and shared.value in writes(*statements):
        return statements, shared
    if not statements or not isinstance(statements[-1], cst.SimpleStatementLine):
        return None, None
    last = statements[-1].body
    if len(last) != 1 or not isinstance(last[0], cst.Return) or last[0].value is None:
        return None, None
    if any("return" in code(s) for s in statements[:-1]):
        return None, None
    return statements[:-1], last[0].value


def _rewrite_step(up: Upgrade, step: cst.FunctionDef, found, keep_outputs: bool) -> None:
    prelude, branches = found
    names = [f"optimizer_{index}" for index, *_ in branches]
    lines = [f"{', '.join(names)} = self.optimizers()\n"]
    once, again = _split_prelude(prelude)
    body: list[cst.BaseStatement] = [*once, cst.parse_statement(lines[0])]
    for (index, statements, returned, comments), optimizer in zip(branches, names):
        statements = [*again, *statements]  # 1.x ran the whole step per optimizer, after the previous one stepped
        first = cst.parse_statement(f"self.toggle_optimizer({optimizer})\n")
        marker = cst.EmptyLine(comment=cst.Comment(f"# optimizer_idx == {index}"))
        first = first.with_changes(leading_lines=[cst.EmptyLine(indent=False), *comments, marker])
        loss = _loss_of(returned)
        tail = [f"self.manual_backward({loss})", f"{optimizer}.step()", f"{optimizer}.zero_grad()",
                f"self.untoggle_optimizer({optimizer})"]  # fmt: skip
        if keep_outputs:
            tail.append(f'self.training_step_outputs[{index}].append({{"loss": {loss}.detach()}})')
        body += [first, *[s.with_changes(leading_lines=[]) if i == 0 else s for i, s in enumerate(statements)]]
        body += [cst.parse_statement(t + "\n") for t in tail]
    params = without_params(step.params, named(INDEX))
    up.edit(step, lambda updated: updated.with_changes(params=params, body=updated.body.with_changes(body=body)))


def _split_prelude(prelude: list[cst.BaseStatement]) -> tuple[list, list]:
    """(statements run once, statements run again for each optimizer): from the first call on, the code before the
    branches computes with the model, and the next optimizer must see the weights the previous one stepped."""
    first_call = next((i for i, s in enumerate(prelude) if any(isinstance(n, cst.Call) for n in walk(s))), len(prelude))
    again = prelude[first_call:]
    if any(_updates_itself(s) for s in again):  # `x = x.view(...)` cannot run twice: keep it once
        return prelude, []
    return prelude[:first_call], again


def _updates_itself(statement: cst.BaseStatement) -> bool:
    """`x += 1`, `x = x.view(...)`: running it again would not give the same value."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return bool(set(writes(statement)))
    for small in statement.body:
        if isinstance(small, cst.AugAssign) or (isinstance(small, cst.Assign) and set(writes(small)) & set(reads(small.value))):
            return True
    return False


def _loss_of(returned: cst.BaseExpression) -> str:
    """`loss` for `return loss`; the "loss" entry's expression for `return {"loss": ..., ...}`."""
    if isinstance(returned, cst.Dict):
        for element in returned.elements:
            if isinstance(element, cst.DictElement) and code(element.key) in ('"loss"', "'loss'"):
                return code(element.value)
        return f'{code(returned)}["loss"]'
    return code(returned)


def _other_hook(up: Upgrade, method: cst.FunctionDef) -> None:
    if INDEX in reads(method.body):
        up.todo("T2L954", method, f"{method.name.value} uses optimizer_idx, which 2.x no longer passes")
        return
    params = without_params(method.params, named(INDEX))
    up.edit(method, lambda updated: updated.with_changes(params=params))
    up.mapped("T2L222", method, f"{method.name.value}: unused optimizer_idx parameter removed (2.x does not pass it)")


def _schedulers_and_clipping(up: Upgrade, defined: dict[str, cst.FunctionDef]) -> None:
    configure = defined.get("configure_optimizers")
    if configure is not None:
        for ret in own_returns(up, configure):
            value = ret.value
            returned = code(value or cst.Name("None"))
            if "frequency" in returned:
                up.todo("T2L954", ret, "1.x ran one optimizer a batch, taking turns by their `frequency` (runs of "
                        "batches each); 2.x ignores the key, and the upgraded training_step steps every optimizer "
                        "each batch: run each branch only on its turn (`if batch_idx % total < frequency:`)")  # fmt: skip
            elif isinstance(value, cst.Tuple) and len(value.elements) == 2 and isinstance(value.elements[0].value, (cst.List, cst.Tuple)):
                schedulers = value.elements[1].value  # `return [opt_g, opt_d], [sched_g, sched_d]`
                if not (isinstance(schedulers, cst.List) and not schedulers.elements):
                    up.todo("T2L954", ret, "manual optimization does not step schedulers: call "
                            "self.lr_schedulers() and .step() them in on_train_epoch_end")  # fmt: skip
            elif "lr_scheduler" in returned:
                up.todo("T2L954", ret, "schedulers with manual optimization: step them by hand")
    for name in ("optimizer_step", "optimizer_zero_grad"):
        if name in defined:
            up.todo("T2L954", defined[name], f"2.x does not call {name} under manual optimization: what it does (a "
                    "learning-rate warm-up?) no longer runs; do it in training_step around each optimizer's step")  # fmt: skip
    for trainer in up.trainer_calls():
        for name in ("gradient_clip_val", "gradient_clip_algorithm"):
            arg = kwarg(trainer, name)
            if arg is not None:
                up.todo("T2L954", arg, f"{name}= raises with manual optimization: remove it and call "
                        "self.clip_gradients(optimizer, gradient_clip_val=...) before each step")  # fmt: skip
