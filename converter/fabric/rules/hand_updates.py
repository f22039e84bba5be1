"""A model trained by updates written by hand, with no optimizer (pytorch/examples' word_language_model:
`for p in model.parameters(): p.data.add_(p.grad, alpha=-lr)` after `fabric.backward(loss)`): set up with
`model = fabric.setup_module(model)` where it is built (T2L335). Left bare, it is right on one device, but once
`devices=` is raised no process averages its gradients, and `precision=` never reaches its forward. The update loop
itself stays: the set-up model's parameters are the same tensors, and DDP has averaged their `.grad` by then.

A model the script pickles, type-checks or indexes (setup.used_whole) stays bare, reported (T2L336)."""

from __future__ import annotations

import libcst as cst

from converter.analysis import walk
from converter.fabric.rules import setup
from converter.fabric.script import Script
from converter.names import bound_names, dotted, method_call

CODES = {
    "T2L335": "model trained by updates written by hand (`p.data.add_(p.grad, alpha=-lr)`) set up where it is built: "
              "model = fabric.setup_module(model), so that fabric.backward averages its gradients over processes",
    "T2L336": "model trained by updates written by hand left bare: the script pickles, type-checks or indexes the model "
              "object itself, which a Fabric wrapper would change; on one device the script computes what it did",
}


def _updates_its_parameters(loop: cst.For) -> bool:
    """`for p in M.parameters():` (or `for name, p in M.named_parameters():`) whose body changes `p` in place from
    `p.grad`: `p.data.add_(p.grad, ...)`, `p -= lr * p.grad`, `p.data.sub_(...)`."""
    target = loop.target
    if isinstance(target, cst.Tuple) and len(target.elements) == 2:
        target = target.elements[1].value
    if not isinstance(target, cst.Name):
        return False
    name = target.value
    reads_grad = any(isinstance(n, cst.Attribute) and n.attr.value == "grad" and dotted(n.value) == name
                     for n in walk(loop.body))  # fmt: skip
    changed = any((isinstance(n, cst.AugAssign) and dotted(n.target) in (name, f"{name}.data"))
                  or (isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute) and n.func.attr.value.endswith("_")
                      and dotted(n.func.value) in (name, f"{name}.data"))
                  for n in walk(loop.body))  # fmt: skip
    return reads_grad and changed


def _trained_by_hand(script: Script) -> dict[str, cst.For]:
    """Model name -> its first update loop."""
    found: dict[str, cst.For] = {}
    for loop in script.index.of_kind(cst.For):
        iterated = loop.iter
        if method_call(iterated, "parameters", "named_parameters") and not iterated.args and _updates_its_parameters(loop):  # type: ignore[union-attr]
            model = dotted(iterated.func.value)  # type: ignore[union-attr]
            if model is not None and "." not in model:
                found.setdefault(model, loop)
    return found


def _built_once(script: Script, model: str, loop: cst.For) -> cst.CSTNode | None:
    """The one statement that binds `model` in the loop's scope, or (where that function binds nothing of the name)
    at module level: the model the loop trains, built once."""
    for scope in (script.scope_of(loop), script.module):
        bindings = [a for a in script.index.of_kind(cst.Assign) if script.scope_of(a) is scope
                    and any(model in bound_names(t.target) for t in a.targets)]  # fmt: skip
        if bindings or scope is script.module:
            return script.statement(bindings[0]) if len(bindings) == 1 else None
    return None


def apply(script: Script) -> None:
    trained = {m: loop for m, loop in _trained_by_hand(script).items() if m not in script.model_setups}
    if not trained:
        return
    whole = setup.used_whole(script)
    functional = bool(script.calls(setup.FUNCTIONAL_CALLS))
    for model, loop in trained.items():
        built = _built_once(script, model, loop)
        if built is None or not script.fabric_reachable(built) or not script.fabric_reachable(loop) or functional:
            continue
        if model in whole:
            script.report.add("T2L336", script.line(loop))
            continue
        script.insert_after(built, f"{model} = {script.name}.setup_module({model})")
        script.model_setups[model] = built
        script.report.add("T2L335", script.line(built))
        script.uses_fabric(built)
