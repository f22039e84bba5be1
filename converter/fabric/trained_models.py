"""Which model an optimizer trains, for `fabric.setup(model, optimizer)` (rules/setup.py): `X` when it is built over
`X.parameters()`, over parameter groups that all come from `X` (T2L331), or by a function or method of the script that
builds it for the model it is given (`get_optimizer(cfg, model)`, nanoGPT's `model.configure_optimizers(...)`, T2L332).
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from converter import torch_names
from converter.analysis import walk
from converter.convert.plan import bind
from converter.fabric.script import Script, calls_of
from converter.names import dotted, loads, method_call, writes


def is_optimizer(script: Script, call: cst.BaseExpression) -> bool:
    """A call that builds an optimizer: of a torch.optim class, or of a parameter that holds one
    (`opt_func(model.parameters(), max_lr)`)."""
    return torch_names.is_optimizer(script.call_name(call)) or _of_an_optimizer_class_parameter(script, call)


def _of_an_optimizer_class_parameter(script: Script, call: cst.BaseExpression) -> bool:
    """`opt_func(...)` in `def fit_one_cycle(..., opt_func=torch.optim.SGD)` (the Jovian notebooks): the parameter's
    default is an optimizer class, and so is what each call of the function gives it, if it gives one (a class, or a
    module-level name bound once to one: `opt_func = torch.optim.Adam`)."""
    if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Name)):
        return False
    function = script.scope_of(call)
    parameters = [*function.params.params, *function.params.kwonly_params] if isinstance(function, cst.FunctionDef) else []
    parameter = next((p for p in parameters if p.name.value == call.func.value), None)
    if parameter is None or parameter.default is None or not _an_optimizer_class(script, parameter.default):
        return False
    return all(_an_optimizer_class(script, _arguments(function, site)[parameter.name.value])  # type: ignore[arg-type]
               for site in calls_of(script.index, function))  # type: ignore[arg-type]  # fmt: skip


def _arguments(function: cst.FunctionDef, call: cst.Call) -> dict[str, cst.BaseExpression]:
    """Parameter -> what the call gives it, or its default (`plan.bind`); a method called on an object
    (`model.configure_optimizers(...)`) gets that object as `self`."""
    if isinstance(call.func, cst.Attribute):
        call = call.with_changes(args=[cst.Arg(call.func.value), *call.args])
    return bind(function, call)


def _an_optimizer_class(script: Script, value: cst.BaseExpression) -> bool:
    if torch_names.is_optimizer(script.imports.qualified(value)):
        return True
    bound = [a.value for a in script.index.of_kind(cst.Assign) if script.scope_of(a) is script.module
             and len(a.targets) == 1 and isinstance(value, cst.Name) and dotted(a.targets[0].target) == value.value]  # fmt: skip
    return len(bound) == 1 and torch_names.is_optimizer(script.imports.qualified(bound[0]))


def model_of(call: cst.Call) -> str | None:
    """`X` when the optimizer's parameters are `X.parameters()` (X a plain or dotted name)."""
    first = parameters_argument(call)
    if (isinstance(first, cst.Call) and not first.args and isinstance(first.func, cst.Attribute)
            and first.func.attr.value == "parameters" and dotted(first.func.value)):  # fmt: skip
        return dotted(first.func.value)
    return None


def grouped_model(script: Script, call: cst.Call, statement: cst.CSTNode) -> str | None:
    """`X` when the optimizer's parameters are groups (BERT's `no_decay` split, nanoGPT's decay sets) that all come
    from one model (`grouped_models`); None otherwise: the optimizer is then set up alone."""
    models = grouped_models(script, call, statement)
    return models[0] if models and len(models) == 1 else None


def grouped_models(script: Script, call: cst.Call, statement: cst.CSTNode) -> list[str] | None:
    """The models whose `parameters()` / `named_parameters()` give the optimizer its parameters, in order of first
    use: read in its argument or in the statements before it (in its block, then in the blocks around that, up to
    its function) that bind or fill the names the argument reads, and those they read in turn. None when a part of
    them has no name (`nn.Linear(4, 2).parameters()`) or none is found."""
    first = parameters_argument(call)
    if first is None:
        return None
    wanted, sources = loads(first), [first]
    current: cst.CSTNode | None = statement
    while current is not None and not isinstance(current, (cst.Module, cst.FunctionDef, cst.ClassDef)):
        block = script.index.parent(current)
        body = getattr(block, "body", None)
        at = next((i for i, s in enumerate(body) if s is current), None) if isinstance(body, (list, tuple)) else None
        for earlier in reversed(body[:at] if at is not None else ()):  # type: ignore[index]
            if _binds_or_fills(earlier, wanted):
                sources.insert(1, earlier)  # the argument first, then the statements in the script's order
                wanted |= loads(earlier)
        current = block
    models = [dotted(node.func.value) for source in sources for node in walk(source)  # type: ignore[attr-defined]
              if method_call(node, "parameters", "named_parameters")]  # fmt: skip
    return list(dict.fromkeys(models)) if models and None not in models else None  # type: ignore[arg-type]


FILLING = ("append", "extend", "add", "update", "insert")


def _binds_or_fills(statement: cst.CSTNode, names: set[str]) -> bool:
    """The statement binds one of `names`, or fills it (`decay.append(param)`, `(no_decay if ... else
    decay).append(param)`): not a statement that only reads it (`for p in model.body.parameters(): p.requires_grad =
    False` reads `model` without giving the optimizer anything)."""
    if writes(statement) & names:
        return True
    return any(method_call(node, *FILLING) and loads(node.func.value) & names for node in walk(statement))  # type: ignore[attr-defined]


def parameters_argument(call: cst.Call) -> cst.BaseExpression | None:
    return next((a.value for a in call.args if a.keyword is None or a.keyword.value == "params"), None)


@dataclass
class Factory:
    """A function (or method) of the script that returns a new optimizer on every path."""

    function: cst.FunctionDef
    built: list[tuple[cst.Call, cst.CSTNode]]  # each optimizer it returns, with the statement that builds it

    def model(self, script: Script, call: cst.Call) -> tuple[str | None, bool]:
        """The model its optimizers train, in the names of `call` (the argument given for the parameter they are
        built over; a method's `self` is the object it is called on), and whether through parameter groups."""
        found = {(model_of(c), False) if model_of(c) else (grouped_model(script, c, statement), True) for c, statement in self.built}
        (parameter, grouped), = found if len(found) == 1 else ((None, False),)
        given = _arguments(self.function, call).get(parameter or "")
        params = self.function.params
        defaults = {id(p.default) for p in (*params.params, *params.kwonly_params) if p.default is not None}
        if given is None or id(given) in defaults:  # left to its default (`model=None`): not a model of the call's
            return None, False
        return dotted(given), grouped


def factories(script: Script) -> dict[int, Factory]:
    """id of each call of a factory -> the factory, for the factories every call of which is assigned to one name
    (`optimizer = get_optimizer(cfg, model)`): set up there, what they build inside needs no set-up of its own."""
    found: dict[int, Factory] = {}
    functions = [f for f in script.index.of_kind(cst.FunctionDef) if _at_the_top(script, f)]
    for function in functions:
        built = _built(script, function)
        calls = calls_of(script.index, function) if built else []
        if calls and all(_assigned_alone(script, c) for c in calls) and _one_definition(functions, function):
            found.update({id(c): Factory(function, built) for c in calls})  # type: ignore[arg-type]
    return found


def _at_the_top(script: Script, function: cst.FunctionDef) -> bool:
    """A function of the module, or a method of a class of the module."""
    parent = script.index.parent(function)
    owner = script.index.parent(parent) if isinstance(parent, cst.IndentedBlock) else parent
    return owner is script.module or (isinstance(owner, cst.ClassDef) and script.index.parent(owner) is script.module)


def _one_definition(functions: list[cst.FunctionDef], function: cst.FunctionDef) -> bool:
    return sum(f.name.value == function.name.value for f in functions) == 1  # two classes' `configure_optimizers`: not known


def _assigned_alone(script: Script, call: cst.Call) -> bool:
    parent = script.index.parent(call)
    return isinstance(parent, cst.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0].target, cst.Name)


def _built(script: Script, function: cst.FunctionDef) -> list[tuple[cst.Call, cst.CSTNode]] | None:
    """Each optimizer the function returns: the call returned, or the one the returned name is bound to once
    (`optimizer = torch.optim.AdamW(groups, ...)`, then `return optimizer`); None unless every return is one."""
    returns = [r for r in script.index.of_kind(cst.Return) if script.scope_of(r) is function]
    built = []
    for returned in returns:
        value = returned.value
        if isinstance(value, cst.Name):
            bindings = [a for a in script.index.of_kind(cst.Assign) if script.scope_of(a) is function
                        and any(dotted(t.target) == value.value for t in a.targets)]  # fmt: skip
            if len(bindings) != 1 or len(bindings[0].targets) != 1:
                return None
            value, statement = bindings[0].value, script.statement(bindings[0])
        else:
            statement = script.statement(returned)
        if not isinstance(value, cst.Call) or not is_optimizer(script, value):
            return None
        built.append((value, statement))
    return built or None
