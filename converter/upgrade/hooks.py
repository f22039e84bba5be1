"""Hooks removed in 2.0: `*_epoch_end(self, outputs)` (T2L220) and `*_step_end` (T2L221); TODO T2L953.

2.x keeps no step outputs for you. The rewrite collects them where 2.x hands them over, whichever class defines
the step (a base model, a subclass): `on_*_batch_end(self, outputs, ...)` appends to a list attribute and
`on_*_epoch_end(self)` reads it and starts it empty again. Under automatic optimization 2.x passes
`on_train_batch_end` `{"loss": loss.detach(), ...}`, the shape 1.x's `training_epoch_end` saw. An epoch-end hook
that calls `super().*_epoch_end(outputs)` leaves collecting and emptying to its base, so a hierarchy collects once;
one that never reads its outputs only loses the parameter (nothing is kept all epoch for nobody). 1.3-1.5's
`on_train_epoch_end(self, outputs)`, which 2.x calls without them, is mapped the same way.
A `*_step_end` becomes a helper the step's returns go through; where the step is inherited or abstract, the
collecting hook applies it (validation, test, predict) or a TODO says where to call it (training: it made the loss).
"""

from __future__ import annotations

import re

import libcst as cst

from converter.names import code, is_docstring, reads
from converter.syntax import with_args
from converter.upgrade import table
from converter.upgrade.engine import Upgrade, super_calls

ABSTRACT = re.compile(r"((pass|raise NotImplementedError)\b|\.\.\.)(?!\S)|raise NotImplementedError\(")  # the whole body of an abstract step
CODES = {
    "T2L220": "*_epoch_end(self, outputs) -> on_*_epoch_end(self), outputs collected by on_*_batch_end",
    "T2L221": "*_step_end hook -> a helper applied to what the step returns",
    "T2L953": "*_epoch_end / *_step_end hook shape not recognised",
}


def methods(cls: cst.ClassDef) -> dict[str, cst.FunctionDef]:
    return {s.name.value: s for s in cls.body.body if isinstance(s, cst.FunctionDef)}


def param_names(function: cst.FunctionDef) -> list[str]:
    return [p.name.value for p in (*function.params.posonly_params, *function.params.params)]


def batch_end_hook(step: str) -> tuple[str, str]:
    """training_step -> ("on_train_batch_end", its parameters after outputs); 2.x passes the step's output."""
    stage = "train" if step == "training_step" else step.removesuffix("_step")
    extra = "batch, batch_idx" if stage == "train" else "batch, batch_idx, dataloader_idx=0"
    return f"on_{stage}_batch_end", extra


def upgrade_hooks(up: Upgrade) -> None:
    for cls in up.lightning_classes():
        defined = methods(cls)
        collect: dict[str, list[str]] = {}  # step -> statements its on_*_batch_end runs, `outputs` being the output
        for step, hook in [(table.STEP_END_HOOKS[n], defined[n]) for n in table.STEP_END_HOOKS if n in defined]:
            helper = f"_{hook.name.value}"
            up.edit(hook.name, lambda _n, new=helper: cst.Name(new))
            rename_super_calls(up, hook, hook.name.value, helper)
            if concrete(defined.get(step)):
                _wrap_returns(up, defined[step], helper)
                up.mapped("T2L221", hook, f"{hook.name.value} -> {helper}, applied to what {step} returns")
            elif step == "training_step":
                up.todo("T2L953", hook, f"{hook.name.value} made the loss and training_step is not in this class: "
                        f"return self.{helper}(...) from each training_step")  # fmt: skip
            else:
                collect[step] = [f"outputs = self.{helper}(outputs)"]
                up.mapped("T2L221", hook, f"{hook.name.value} -> {helper}, applied by {batch_end_hook(step)[0]} to "
                          f"what {step} returns (callbacks now see the output before it)")  # fmt: skip
        for old, (new, step, attribute) in table.EPOCH_END_HOOKS.items():
            if old in defined:
                _epoch_end(up, cls, defined[old], new, step, attribute, collect)
        hook = defined.get("on_train_epoch_end")  # 1.3-1.5 passed it the outputs too; 2.x calls it with none
        if hook is not None and "training_epoch_end" not in defined and len(param_names(hook)) == 2:
            _epoch_end(up, cls, hook, "on_train_epoch_end", *table.EPOCH_END_HOOKS["training_epoch_end"][1:], collect)
        for step, statements in collect.items():
            _add_batch_end(up, defined, step, statements)
        _calls_of_renamed(up, cls, defined)


def _calls_of_renamed(up: Upgrade, cls: cst.ClassDef, defined: dict[str, cst.FunctionDef]) -> None:
    """`self.validation_epoch_end(outs)` (a test epoch reusing the validation one): the hook now reads a list."""
    for call in up.nodes(cst.Call):  # the module's calls, filtered by name before the (rarer) containment test
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value in table.EPOCH_END_HOOKS and func.attr.value in defined \
                and code(func.value) == "self" and up.index.contains(cls.body, call):  # fmt: skip
            new, _, attribute = table.EPOCH_END_HOOKS[func.attr.value]
            up.todo("T2L953", call, f"{func.attr.value} is now {new}(), which reads self.{attribute}: put the outputs "
                    f"there and call it, or move the shared code to a helper both hooks call")  # fmt: skip


def concrete(step: cst.FunctionDef | None) -> bool:
    """Defined with a body: not absent, and not only `raise NotImplementedError` / `pass` / `...` (abstract)."""
    if step is None:
        return False
    body = step.body.body[1:] if step.body.body and is_docstring(step.body.body[0]) else step.body.body
    return not all(ABSTRACT.match(code(s).strip()) for s in body)


def rename_super_calls(up: Upgrade, method: cst.FunctionDef, old: str, new: str, added: tuple[str, ...] = ()) -> list[cst.Call]:
    """`super().old(...)` inside `method` -> `super().new(..., *added)`; the calls."""
    calls = super_calls(up, method.body, old)
    for call in calls:
        up.edit(call.func.attr, lambda _n: cst.Name(new))
        if added:
            up.edit(call, lambda updated: with_args(updated, [*updated.args, *(cst.Arg(cst.Name(p)) for p in added)]))
    return calls


def _epoch_end(up: Upgrade, cls: cst.ClassDef, hook: cst.FunctionDef, new: str, step: str, attribute: str,
               collect: dict[str, list[str]]) -> None:  # fmt: skip
    """Rename one epoch-end hook; what it reads is collected by on_*_batch_end (`collect`) unless its base does."""
    params, defined = param_names(hook), methods(cls)
    if len(params) != 2:
        up.todo("T2L953", hook, f"{hook.name.value} was removed in 2.0 (unexpected parameters): move it to {new}(self)")
        return
    if concrete(defined.get(step)) and "dataloader_idx" in param_names(defined[step]):
        up.todo("T2L953", hook, f"{hook.name.value} with dataloader_idx in {step}: keep one list per index by hand")
        return
    outputs = params[1]
    per_optimizer = up.scratch.get(("optimizers", id(cls)), [0])[0] if new == "on_train_epoch_end" else 0
    supers = rename_super_calls(up, hook, hook.name.value, new)
    for call in supers:
        up.edit(call, lambda updated: updated.with_changes(args=[]))
        if [code(a.value) for a in call.args] != [outputs]:
            up.todo("T2L953", call, f"super().{hook.name.value}() was given other outputs than {outputs}: 2.x's "
                    f"{new}() reads self.{attribute}; give it what it should see by hand")  # fmt: skip
    if not supers and not per_optimizer and outputs not in reads(*hook.body.body):
        _rename_only(up, hook, new)  # nothing reads the outputs: keeping them all epoch would only hold memory
        up.mapped("T2L220", hook, f"{hook.name.value}({outputs}) -> {new}(); {outputs} was never read, so nothing "
                  "is collected")  # fmt: skip
        return
    empty = f"[[] for _ in range({per_optimizer})]" if per_optimizer else "[]"
    what = "one list per optimizer, as 1.x passed them" if per_optimizer else f"what {step} returned this epoch"
    prologue = [f"{outputs} = self.{attribute}  # {what}"]
    if not supers:  # with super().{new}(), the base reads the same list and empties it
        prologue.append(f"self.{attribute} = {empty}")
    if not per_optimizer and not supers:  # (with several optimizers, optimizer_idx.py appends after each step)
        collect[step] = [*collect.get(step, []), f"self.{attribute}.append(outputs)"]

    def rewrite(function: cst.FunctionDef) -> cst.FunctionDef:
        body = function.body
        docstring = body.body[:1] if body.body and is_docstring(body.body[0]) else []
        statements = [*docstring, *[cst.parse_statement(s + "\n") for s in prologue], *body.body[len(docstring) :]]
        return function.with_changes(
            name=cst.Name(new),
            params=function.params.with_changes(params=[function.params.params[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)]),
            body=body.with_changes(body=statements),
        )  # fmt: skip

    up.edit(hook, rewrite)
    if not supers:
        initialise(up, cls, [f"self.{attribute} = {empty}"])
    how = "the base class collects them" if supers else f"{batch_end_hook(step)[0]} collects what {step} returns"
    up.mapped("T2L220", hook, f"{hook.name.value}({outputs}) -> {new}(); {how} in self.{attribute}")


def _rename_only(up: Upgrade, hook: cst.FunctionDef, new: str) -> None:
    up.edit(hook, lambda function: function.with_changes(name=cst.Name(new), params=function.params.with_changes(
        params=[function.params.params[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)])))


def _add_batch_end(up: Upgrade, defined: dict[str, cst.FunctionDef], step: str, statements: list[str]) -> None:
    """Run `statements` on `outputs` (what the step returned) in the class's on_*_batch_end, new or existing."""
    name, extra = batch_end_hook(step)
    existing = defined.get(name)
    if existing is not None:
        received = param_names(existing)[1:2]
        if not received:
            up.todo("T2L953", existing, f"{name} takes no outputs: collect what {step} returns by hand")
            return
        lines = [cst.parse_statement(s.replace("outputs", received[0]) + "\n") for s in statements]
        up.edit(existing.body, lambda body: body.with_changes(body=[*lines, *body.body]))
        return
    new_hook = cst.parse_statement(f"def {name}(self, outputs, {extra}):\n" + "".join(f"    {s}\n" for s in statements))
    # the hook that reads the list: `training_epoch_end`, or 1.3-1.5's `on_train_epoch_end(self, outputs)`
    epoch_end = next((defined[name] for old, (new, s, _) in table.EPOCH_END_HOOKS.items() if s == step
                      for name in (old, new) if name in defined), None)  # fmt: skip
    step_end = defined.get(f"{step}_end")

    def before(updated: cst.FunctionDef) -> cst.FlattenSentinel:  # the collecting hook, then the epoch-end hook
        return cst.FlattenSentinel([new_hook.with_changes(leading_lines=updated.leading_lines),
                                    updated.with_changes(leading_lines=[cst.EmptyLine(indent=False)])])  # fmt: skip

    if epoch_end is not None:
        up.edit(epoch_end, before)
    elif step_end is not None:  # after the step-end helper it applies
        up.edit(step_end, lambda updated: cst.FlattenSentinel([updated, new_hook.with_changes(leading_lines=[cst.EmptyLine(indent=False)])]))
    else:  # (no shape reaches here today: said rather than dropped)
        up.todo("T2L953", next(iter(defined.values())), f"collect what {step} returns in {name} by hand")


def _wrap_returns(up: Upgrade, step: cst.FunctionDef, helper: str) -> None:
    """`return x` -> `return self.<helper>(x)` in the step itself (not in functions nested in it)."""
    for ret in own_returns(up, step):
        if ret.value is not None:
            up.edit(ret, lambda updated: updated.with_changes(value=cst.parse_expression(f"self.{helper}({code(updated.value)})")))


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
    start = 1 if body and is_docstring(body[0]) else 0
    rest = body[start:]
    if rest and not any(line.comment is None for line in rest[0].leading_lines):  # a blank line after the new def
        rest[0] = rest[0].with_changes(leading_lines=[cst.EmptyLine(indent=False), *rest[0].leading_lines])
    return [*body[:start], statement, *rest]
