"""`model.named_parameters()` on a set-up model -> `model.module.named_parameters()` (T2L337).

A set-up model is a `_FabricModule`: its `state_dict()` and `load_state_dict()` use the module's own keys (`0.weight`),
but the names it gives for its members carry the wrapper's attribute (`_forward_module.0.weight`), and its children
are that one wrapped module. A script that keys a dict by those names and loads it back (an EMA's shadow weights
swapped in for the evaluation with `load_state_dict(shadow, strict=False)`) loaded nothing, silently: every
evaluation ran on the training weights after a clean conversion. `.module` is the module the script built, whose
names are the ones its state_dict uses. Rewritten where the call surely runs after the set-up: after it in the same
scope, or in a function whose every call is, reading the model as a global or given it for a parameter.
"""

from __future__ import annotations

import libcst as cst

from converter.fabric.script import Script, calls_of
from converter.names import code, writes

CODES = {"T2L337": "`model.named_parameters()` (named_modules, named_buffers, named_children, children) -> on "
                   "`model.module`: the set-up model's own member names carry `_forward_module.`, which its "
                   "state_dict() keys do not"}  # fmt: skip
NAMED = ("named_parameters", "named_modules", "named_buffers", "named_children", "children")


def apply(script: Script) -> None:
    if not script.model_setups or not any(f".{method}(" in script.source for method in NAMED):
        return
    for call in script.index.of_kind(cst.Call):
        func = call.func
        if not (isinstance(func, cst.Attribute) and func.attr.value in NAMED and isinstance(func.value, cst.Name)):
            continue
        if not _holds_a_set_up_model(script, call, func.value.value, depth=4):
            continue
        script.replace(func.value, cst.Attribute(func.value, cst.Name("module")))
        script.report.add("T2L337", script.line(call), f"`{code(func)}()` -> `{func.value.value}.module.{func.attr.value}()`")


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
        passed = [_argument(call, name, parameters.index(name) if name in parameters else None) for call in calls]
        return bool(calls) and all(isinstance(a, cst.Name) and _holds_a_set_up_model(script, call, a.value, depth - 1)
                                   for a, call in zip(passed, calls))  # fmt: skip
    return bool(calls) and all(_holds_a_set_up_model(script, call, name, depth - 1) for call in calls)


def _argument(call: cst.Call, name: str, position: int | None) -> cst.BaseExpression | None:
    """What a call passes for a parameter (None: unknown, a `*args` or `**kwargs` in the call, or left to a default)."""
    if any(a.star for a in call.args):
        return None
    for argument in call.args:
        if argument.keyword is not None and argument.keyword.value == name:
            return argument.value
    positional = [a.value for a in call.args if a.keyword is None]
    return positional[position] if position is not None and position < len(positional) else None
