"""A training loop in a method of the model's own class (T2L146) becomes a function of the model, then converts.

    class MLP(nn.Module):                              class MLP(nn.Module):
        def forward(self, x): ...                          def forward(self, x): ...
        def fit(self, loader, epochs):                 def fit(model, loader, epochs):
            optimizer = Adam(self.parameters())    ->      optimizer = Adam(model.parameters())
            for epoch in range(epochs): ...                for epoch in range(epochs): ...
    net = MLP()                                        net = MLP()
    net.fit(loader, epochs=4)                          fit(net, loader, epochs=4)

The Keras-like shape of many tutorials: `model.fit(...)` on an `nn.Module` subclass. A method is a function of its
instance, so the same statements run on the same object: the converted script stays bitwise equal. The method
moves below its class, `self` renamed; each call `<instance>.<method>(...)` passes the instance first. Every line
maps back to the input. It applies only when that is sure: an undecorated method whose body calls backward, uses
neither `super()` nor `__class__`, and that nothing reaches but calls on instances the script makes of that class
(`net = MLP(...)`, `.to(device)` after it allowed). An optimizer (or scheduler) `__init__` keeps on the model,
`self.optimizer = Adam(self.parameters())`, becomes a parameter of the function, passed as `net.optimizer`: the
same object, which configure_optimizers then returns. Otherwise the T2L908 TODO stands.
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import walk
from converter.convert import inline
from converter.convert.inline import statement_lines
from converter.convert.normalize import Normalized, Text
from converter.convert.plan import free_name
from converter.convert.rules.full_batch import NOT_A_LOOP
from converter.names import dotted, reads, rename, writes

CODES = {"T2L146": "a training loop in a method of the model's class -> a function of the model, then converted"}
RUNS_ON = {NOT_A_LOOP}  # planning declines a loop in a method


def normalize(text: Text) -> Normalized | None:
    """The script with its first training method of an `nn.Module` subclass moved out; None when none is sure."""
    module, index = text.module, text.index
    for cls in (s for s in module.body if isinstance(s, cst.ClassDef) and _a_module(s)):
        for method in (m for m in cls.body.body if isinstance(m, cst.FunctionDef) and _trains(m)):
            calls = _calls(module, cls.name.value, method.name.value)
            if not calls:
                continue
            statements = [index.statement(call) for call in calls]
            if len({id(s) for s in statements}) < len(statements):
                continue  # two calls in one statement (one edit per statement here)
            name = free_name(method.name.value, writes(*module.body))
            lifted = _optimizers_kept_on_the_model(cls, method)
            edits = [_moved(module, index, cls, method, name, lifted)]
            lines = text.source.splitlines()
            for call, statement in zip(calls, statements):
                first, last = statement_lines(module, index, statement)
                receiver = call.func.value  # type: ignore[attr-defined]
                passed = [cst.Arg(cst.Attribute(receiver, cst.Name(attr))) for attr in lifted]  # `net.optimizer`
                new = call.with_changes(func=cst.Name(name), args=[cst.Arg(receiver), *passed, *call.args])
                indent = " " * (len(lines[first - 1]) - len(lines[first - 1].lstrip()))
                rewritten = statement.with_changes(leading_lines=[]).deep_replace(call, new)
                edits.append((first, last, inline.rendered(module, rewritten, first, indent)))
            source, original_line = inline.splice(text.source, edits)
            message = f"{cls.name.value}.{method.name.value} -> {name}(model, ...): a function of the model, called as before"
            return Normalized(source, original_line, "T2L146", index.line(method), message)
    return None


def _a_module(cls: cst.ClassDef) -> bool:
    return any((dotted(b.value) or "").split(".")[-1] == "Module" for b in cls.bases) and not cls.decorators


def _trains(method: cst.FunctionDef) -> bool:
    """An undecorated method (`self` first) whose body calls backward and neither `super()` nor `__class__`."""
    params = method.params.params
    if method.decorators or not params or method.name.value.startswith("__") or not isinstance(method.body, cst.IndentedBlock):
        return False
    backward = any(isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute) and n.func.attr.value == "backward" for n in walk(method.body))
    return backward and not {"super", "__class__"} & reads(method.body)


def _calls(module: cst.Module, cls: str, method: str) -> list[cst.Call]:
    """The calls `<instance>.<method>(...)`, when every use of `.<method>` in the file is one, on a name the same
    scope binds to `<cls>(...)` (or `<cls>(...).to(device)`); else none."""
    made = {target for node in walk(module) if isinstance(node, cst.Assign) and _makes(node.value, cls)
            for target in writes(node)}  # fmt: skip
    uses = [n for n in walk(module) if isinstance(n, cst.Attribute) and n.attr.value == method]
    calls = [n for n in walk(module) if isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute) and n.func.attr.value == method]
    if len(calls) != len(uses) or not all(isinstance(c.func.value, cst.Name) and c.func.value.value in made for c in calls):  # type: ignore[attr-defined]
        return []
    if any(a.star for c in calls for a in c.args):
        return []
    return calls


def _makes(value: cst.BaseExpression, cls: str) -> bool:
    while isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value in ("to", "cuda", "cpu"):
        value = value.func.value  # MLP(...).to(device)
    return isinstance(value, cst.Call) and dotted(value.func) == cls


def _optimizers_kept_on_the_model(cls: cst.ClassDef, method: cst.FunctionDef) -> list[str]:
    """Attributes `__init__` builds from torch.optim (`self.optimizer = Adam(self.parameters())`, a scheduler) that
    the method uses and does not set: they become parameters of the function (the same objects, passed as
    `net.optimizer`), which the conversion returns from configure_optimizers."""
    init = next((m for m in cls.body.body if isinstance(m, cst.FunctionDef) and m.name.value == "__init__"), None)
    if init is None or not method.params.params:
        return []
    owner = method.params.params[0].name.value
    built = {target.attr.value for node in walk(init) if isinstance(node, cst.Assign) and isinstance(node.value, cst.Call)
             and "optim" in (dotted(node.value.func) or "") for t in node.targets
             if isinstance(target := t.target, cst.Attribute) and dotted(target.value) == "self"}  # fmt: skip
    used = {n.attr.value for n in walk(method.body) if isinstance(n, cst.Attribute) and dotted(n.value) == owner}
    set_here = {t.target.attr.value for n in walk(method.body) if isinstance(n, (cst.Assign, cst.AugAssign))
                for t in (n.targets if isinstance(n, cst.Assign) else [n]) if isinstance(t.target, cst.Attribute)}  # fmt: skip
    taken = reads(method) | writes(method)
    return sorted(a for a in built & used - set_here if a not in taken)


def _moved(module: cst.Module, index, cls: cst.ClassDef, method: cst.FunctionDef, name: str, lifted: list[str]) -> inline.Edit:
    """The class without the method, and the method after it as a function of `model` (or another free name) and
    of the optimizers it kept on the model (`lifted`)."""
    instance = "model" if "model" not in reads(method) | writes(method) else f"{cls.name.value.lower()}_model"
    params = method.params.params
    owner = params[0].name.value
    body = method.body.visit(_Lifted(owner, set(lifted))) if lifted else method.body
    function = method.with_changes(
        name=cst.Name(name), leading_lines=[],
        params=method.params.with_changes(params=[params[0].with_changes(name=cst.Name(instance)),
                                                  *(cst.Param(cst.Name(a)) for a in lifted), *params[1:]]),
        body=rename(body, {owner: cst.Name(instance)}),
    )  # fmt: skip
    first, last = statement_lines(module, index, method)
    cls_first, cls_last = statement_lines(module, index, cls)
    lines = module.code.splitlines(keepends=True)
    above = first
    while above - 1 > cls_first and not lines[above - 2].strip():
        above -= 1  # the blank lines that set the method apart go with it
    kept = [(line, n) for n, line in enumerate(lines[cls_first - 1 : cls_last], start=cls_first) if not above <= n <= last]
    while kept and not kept[-1][0].strip():
        kept.pop()
    moved = [(line, first + offset) for offset, line in enumerate(module.code_for_node(function).splitlines(keepends=True))]
    return cls_first, cls_last, [*kept, ("\n", last), ("\n", last), *moved]


class _Lifted(cst.CSTTransformer):
    """`self.optimizer` -> `optimizer` for the lifted attributes."""

    def __init__(self, owner: str, attributes: set[str]) -> None:
        self.owner, self.attributes = owner, attributes

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if dotted(updated.value) == self.owner and updated.attr.value in self.attributes:
            return cst.Name(updated.attr.value)
        return updated
