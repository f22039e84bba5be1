"""What the script reads of its model through the set-up model's wrapper -> read from `model.module` (T2L337).

A set-up model is a `_FabricModule`: it runs, trains and saves as the module (its `state_dict()` keys are the
module's, `0.weight`), but where the script looks at the object itself it sees the wrapper: member names carry its
attribute (`_forward_module.0.weight`), its children are the wrapped module, `print(model)` prints `_FabricModule(...)`
with the module twice, `model.__class__` is the wrapper's class. A script that keys a dict by those names and loads
it back (an EMA's shadow weights swapped in for the evaluation with `load_state_dict(shadow, strict=False)`) loaded
nothing, silently: every evaluation ran on the training weights after a clean conversion. `.module` is the module the
script built. Rewritten where the call surely runs after the set-up: after it in the same scope, or in a function
whose every call is, reading the model as a global or given it for a parameter:

    model.named_parameters()   (named_modules, named_buffers, named_children, children) -> model.module.named_...()
    print(model)               (str, repr)                                              -> print(model.module)
    model.__class__                                                                     -> model.module.__class__
"""

from __future__ import annotations

import re

import libcst as cst

from converter.fabric.script import Script, calls_of
from converter.names import writes
from converter.syntax import passed_for

CODES = {"T2L337": "the model object read through Fabric's wrapper (`model.named_parameters()`, `print(model)`, "
                   "`model.__class__`) -> `model.module`: the set-up model's member names carry `_forward_module.`, "
                   "which its state_dict() keys do not, and it prints and is classed as the wrapper"}  # fmt: skip
NAMED = ("named_parameters", "named_modules", "named_buffers", "named_children", "children")
SHOWN = ("print", "str", "repr")
_CANDIDATE = re.compile(r"\.(named_\w+|children)\(|\b(print|str|repr)\(|\.__class__\b")  # a cheap test before any walk


def apply(script: Script) -> None:
    if not script.model_setups or not _CANDIDATE.search(script.source):
        return
    for name in _views(script):
        if _holds_a_set_up_model(script, name, name.value, depth=4):
            script.replace(name, cst.Attribute(name, cst.Name("module")))
            script.report.add("T2L337", script.line(name), f"`{name.value}` read through Fabric's wrapper -> "
                              f"`{name.value}.module`")  # fmt: skip


def _views(script: Script) -> list[cst.Name]:
    """The names the script looks at a model object through: a named-member call's owner, the argument of a print
    (or str, repr), the owner of `.__class__`."""
    found = []
    for call in script.index.of_kind(cst.Call):
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value in NAMED and isinstance(func.value, cst.Name):
            found.append(func.value)
        elif script.call_name(call) in SHOWN:
            found += [a.value for a in call.args if isinstance(a.value, cst.Name) and a.keyword is None and not a.star]
    for attribute in script.index.of_kind(cst.Attribute):
        if attribute.attr.value == "__class__" and isinstance(attribute.value, cst.Name):
            found.append(attribute.value)
    return found


def _holds_a_set_up_model(script: Script, node: cst.CSTNode, name: str, depth: int) -> bool:
    """`name` holds a set-up model where `node` runs: after the set-up in its scope; in a function, a global that
    does at every call of the function, or a parameter every call passes such a model for."""
    scope, setup = script.scope_of(node), script.model_setups.get(name)
    if setup is not None and scope is script.scope_of(setup):
        return script.before(setup, node) and not script.index.contains(setup, node)
    if depth == 0 or not isinstance(scope, cst.FunctionDef) or name in writes(scope.body):
        return False
    calls = calls_of(script.index, scope)
    parameters = [p.name.value for p in (*scope.params.posonly_params, *scope.params.params)]
    if isinstance(script.index.parent(script.index.parent(scope)), cst.ClassDef):
        parameters = parameters[1:]  # called as a method: `self` is not among the call's arguments
    if name in parameters or name in {p.name.value for p in scope.params.kwonly_params}:
        position = parameters.index(name) if name in parameters else None
        passed = [None if any(a.star for a in call.args) else passed_for(call, name, position) for call in calls]
        return bool(calls) and all(a is not None and isinstance(a.value, cst.Name)
                                   and _holds_a_set_up_model(script, call, a.value.value, depth - 1)
                                   for a, call in zip(passed, calls))  # fmt: skip
    return bool(calls) and all(_holds_a_set_up_model(script, call, name, depth - 1) for call in calls)
