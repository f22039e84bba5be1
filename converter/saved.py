"""What a script pickles whole: `torch.save(model, path)`, `torch.save({"model": model, "optimizer": optimizer},
path)`, or the same inside a function of the script it hands them to (the sgrvinod tutorials'
`save_checkpoint(epoch, model, optimizer)`), not `model.state_dict()` (tensors). Both routes wrap the model and the
optimizer in classes made at run time, which pickle cannot find: what the script saves whole must stay its own."""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from converter.analysis import walk


def saved_whole(call: cst.Call, functions: dict[str, cst.FunctionDef],
                call_name: Callable[[cst.CSTNode], str | None]) -> list[cst.BaseExpression]:  # fmt: skip
    """The expressions among the call's arguments (and the items of a dict, list or tuple written there) whose
    objects it pickles whole."""
    if call_name(call) == "torch.save":
        return _items(call.args[0].value) if call.args else []
    function = functions.get(call.func.value) if isinstance(call.func, cst.Name) else None
    if function is None:
        return []
    saved = {n.value for c in walk(function.body) if isinstance(c, cst.Call) and c.args and call_name(c) == "torch.save"
             for n in _items(_built(c.args[0].value, function)) if isinstance(n, cst.Name)}  # fmt: skip
    params = [p.name.value for p in (*function.params.posonly_params, *function.params.params)]
    handed = dict(zip(params, [a.value for a in call.args if a.keyword is None and not a.star]))
    handed |= {a.keyword.value: a.value for a in call.args if a.keyword is not None}
    return [handed[name] for name in sorted(saved & set(handed))]


def _built(value: cst.BaseExpression, function: cst.FunctionDef) -> cst.BaseExpression:
    """`state` in `state = {...}; torch.save(state, f)`: the dict it was built as (assigned once in the function)."""
    if not isinstance(value, cst.Name):
        return value
    built = [n.value for n in walk(function.body) if isinstance(n, cst.Assign) and len(n.targets) == 1
             and isinstance(n.targets[0].target, cst.Name) and n.targets[0].target.value == value.value]  # fmt: skip
    return built[0] if len(built) == 1 else value


def _items(value: cst.BaseExpression) -> list[cst.BaseExpression]:
    if isinstance(value, cst.Dict):
        return [e.value for e in value.elements if isinstance(e, cst.DictElement)]
    if isinstance(value, (cst.List, cst.Tuple)):
        return [e.value for e in value.elements]
    return [value]
