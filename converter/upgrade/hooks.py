"""Hooks removed in 2.0: `*_epoch_end(self, outputs)` (T2L220) and `*_step_end` (T2L221); TODO T2L953.

2.x keeps no step outputs for you. The documented replacement, written here: the step appends what it
returns to a list attribute, `on_*_epoch_end(self)` reads it, and the list starts empty again each epoch.
In 1.x `training_epoch_end` saw `{"loss": loss.detach()}` for a returned tensor; the rewrite keeps that shape.
"""

from __future__ import annotations

import libcst as cst

from converter.names import code
from converter.upgrade import table
from converter.upgrade.engine import Upgrade

CODES = {
    "T2L220": "*_epoch_end(self, outputs) -> on_*_epoch_end(self) with the step outputs kept in a list attribute",
    "T2L221": "*_step_end hook -> a helper the step calls on its output",
    "T2L953": "*_epoch_end / *_step_end hook shape not recognised",
}


def methods(cls: cst.ClassDef) -> dict[str, cst.FunctionDef]:
    return {s.name.value: s for s in cls.body.body if isinstance(s, cst.FunctionDef)}


def param_names(function: cst.FunctionDef) -> list[str]:
    return [p.name.value for p in (*function.params.posonly_params, *function.params.params)]


def upgrade_hooks(up: Upgrade) -> None:
    for cls in up.lightning_classes():
        defined = methods(cls)
        step_end = {table.STEP_END_HOOKS[n]: defined[n] for n in table.STEP_END_HOOKS if n in defined}
        for name, hook in step_end.items():
            up.edit(hook.name, lambda _n, new=f"_{hook.name.value}": cst.Name(new))
            if name not in defined:
                up.todo("T2L953", hook, f"{hook.name.value} was removed and {name} is not in this class: call it yourself")
            else:
                up.mapped("T2L221", hook, f"{hook.name.value} -> _{hook.name.value}, called on what {name} returns")
        rewritten: set[str] = set()
        for old, (new, step, attribute) in table.EPOCH_END_HOOKS.items():
            if old in defined and _epoch_end(up, cls, defined[old], new, defined.get(step), attribute):
                rewritten.add(step)
        for step, hook in step_end.items():
            if step in defined and step not in rewritten:
                _rewrite_returns(up, defined[step], f"_{hook.name.value}", None, training=False)


def _epoch_end(up: Upgrade, cls: cst.ClassDef, hook: cst.FunctionDef, new: str, step: cst.FunctionDef | None,
               attribute: str) -> bool:  # fmt: skip
    """Rewrite one epoch-end hook and its step; False (with a TODO) when the shape is not the simple one."""
    params = param_names(hook)
    if step is None or len(params) != 2:
        expected = table.EPOCH_END_HOOKS[hook.name.value][1]
        why = f"{expected} is not defined in this class" if step is None else "unexpected parameters"
        up.todo("T2L953", hook, f"{hook.name.value} was removed in 2.0 ({why}): move it to {new}(self) by hand")
        return False
    per_optimizer = up.scratch.get(("optimizers", id(cls)), [0])[0] if new == "on_train_epoch_end" else 0
    if "dataloader_idx" in param_names(step) or ("optimizer_idx" in param_names(step) and not per_optimizer):
        extra = "dataloader_idx" if "dataloader_idx" in param_names(step) else "optimizer_idx"
        up.todo("T2L953", hook, f"{hook.name.value} with {extra} in {step.name.value}: keep one list per index by hand")
        return False
    outputs = params[1]
    empty = f"[[] for _ in range({per_optimizer})]" if per_optimizer else "[]"
    what = "one list per optimizer, as 1.x passed them" if per_optimizer else f"what {step.name.value} returned this epoch"
    prologue = [
        cst.parse_statement(f"{outputs} = self.{attribute}  # {what}\n"),
        cst.parse_statement(f"self.{attribute} = {empty}\n"),
    ]

    def rewrite(function: cst.FunctionDef) -> cst.FunctionDef:
        body = function.body
        docstring = body.body[:1] if _is_docstring(body.body[:1]) else []
        statements = [*docstring, *prologue, *body.body[len(docstring) :]]
        return function.with_changes(
            name=cst.Name(new),
            params=function.params.with_changes(params=[function.params.params[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)]),
            body=body.with_changes(body=statements),
        )  # fmt: skip

    up.edit(hook, rewrite)
    if not per_optimizer:  # (with several optimizers, optimizer_idx.py already appends after each step)
        step_end = methods(cls).get(f"{step.name.value}_end")
        _rewrite_returns(up, step, step_end and f"_{step_end.name.value}", attribute, training=step.name.value == "training_step")
    initialise(up, cls, [f"self.{attribute} = {empty}"])
    up.mapped("T2L220", hook, f"{hook.name.value}({outputs}) -> {new}(); {step.name.value} appends to self.{attribute}")
    return True


def _is_docstring(statements: list) -> bool:
    return bool(statements) and isinstance(statements[0], cst.SimpleStatementLine) and \
        isinstance(statements[0].body[0], cst.Expr) and isinstance(statements[0].body[0].value, cst.SimpleString)  # fmt: skip


def own_returns(up: Upgrade, function: cst.FunctionDef) -> list[cst.Return]:
    """Return statements of `function` itself (not of functions nested in it)."""
    found = []
    for node in up.nodes(cst.Return, function.body):
        owner = up.parent(node)
        while not isinstance(owner, (cst.FunctionDef, cst.Lambda)):
            owner = up.parent(owner)
        if owner is function:
            found.append(node)
    return found


def _rewrite_returns(up: Upgrade, step: cst.FunctionDef, step_end: str | None, attribute: str | None, training: bool) -> None:
    for ret in own_returns(up, step):
        line = up.parent(ret)
        if ret.value is None:
            continue
        if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
            up.todo("T2L953", ret, f"a return {step.name.value} has inside a one-line block: collect its output by hand")
            continue
        value = code(ret.value)
        if step_end:
            value = f"self.{step_end}({value})"
        statements = []
        if attribute is not None:
            if not isinstance(ret.value, cst.Name) or step_end:
                statements.append(f"step_output = {value}")
                value = "step_output"
            if training and isinstance(ret.value, cst.Dict):
                kept = f'{{**{value}, "loss": {value}["loss"].detach()}}'
            elif training:
                kept = f'{{"loss": {value}.detach()}}'
            else:
                kept = value
            statements.append(f"self.{attribute}.append({kept})")
        statements.append(f"return {value}")
        new = [cst.parse_statement(s + "\n") for s in statements]
        new[0] = new[0].with_changes(leading_lines=line.leading_lines)
        up.edit(line, lambda _n, new=new: cst.FlattenSentinel(new))


def initialise(up: Upgrade, cls: cst.ClassDef, lines: list[str]) -> None:
    """Add `lines` to __init__ right after super().__init__(...) (or to a new __init__ that calls it)."""
    key = ("__init__ lines", id(cls))
    if key in up.scratch:
        up.scratch[key] += lines
        return
    pending = up.scratch[key] = list(lines)

    def statements() -> list[cst.BaseStatement]:
        return [cst.parse_statement(line + "\n") for line in pending]

    init = methods(cls).get("__init__")
    if init is None:
        def add_init(body: cst.IndentedBlock) -> cst.IndentedBlock:
            new_init = cst.parse_statement("def __init__(self, *args, **kwargs):\n    super().__init__(*args, **kwargs)\n")
            new_init = new_init.with_changes(body=new_init.body.with_changes(body=[*new_init.body.body, *statements()]))
            return body.with_changes(body=_after_docstring(list(body.body), new_init))

        up.edit(cls.body, add_init)
        return
    body = list(init.body.body)
    anchor = next((s for s in body if "super()" in code(s) and "__init__" in code(s)), body[0])
    up.edit(anchor, lambda updated: cst.FlattenSentinel([*flat(updated), *statements()]))


def flat(node) -> list:
    return list(node.nodes) if isinstance(node, cst.FlattenSentinel) else [node]


def _after_docstring(body: list, statement: cst.BaseStatement) -> list:
    start = 1 if _is_docstring(body[:1]) else 0
    rest = body[start:]
    if rest and not any(line.comment is None for line in rest[0].leading_lines):  # a blank line after the new def
        rest[0] = rest[0].with_changes(leading_lines=[cst.EmptyLine(indent=False), *rest[0].leading_lines])
    return [*body[:start], statement, *rest]
