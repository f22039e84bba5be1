"""`model.mark_forward_method("generate")` after the set-up, for each method of the script's model class that the
script calls on the set-up model and that runs the model's layers (T2L333).

Fabric runs a set-up model's `forward` through its strategy (DDP's gradient sync) and precision; a method called on
the wrapper is its module's own, outside that path. On one device nothing changes (the wrapper and the module are one
forward path); once `devices=` is raised, Fabric raises "You are calling the method `GPT.generate()` from outside the
model ... mark it as a forward method" for every such call (nanoGPT's `model.generate(...)`, a `model.loss(x, y)`
helper), unless the method is marked. `training_step`, `validation_step`, `test_step` and `predict_step` are marked
by Fabric itself.
"""

from __future__ import annotations

import libcst as cst

from converter.analysis import walk
from converter.fabric.script import Script
from converter.names import dotted

CODES = {"T2L333": "model.mark_forward_method(\"<name>\") after fabric.setup: a method of the model the script calls "
                   "runs its layers, which Fabric must route through the strategy's forward once devices= is raised"}  # fmt: skip
MARKED_BY_FABRIC = {"forward", "training_step", "validation_step", "test_step", "predict_step"}


def apply(script: Script) -> None:
    if not script.model_setups or script.after_fabric:  # set up after the Fabric lines (T2L328): not here
        return
    running = _methods_running_layers(script.module)
    for model, setup in script.model_setups.items():
        called: list[str] = []
        for call in script.index.of_kind(cst.Call):
            func = call.func
            if (isinstance(func, cst.Attribute) and dotted(func.value) == model and func.attr.value in running
                    and func.attr.value not in called and not script.index.contains(setup, call)
                    and script.before(setup, call)):  # fmt: skip
                called.append(func.attr.value)
                script.report.add("T2L333", script.line(call))
        for name in called:
            script.insert_after(setup, f'{model}.mark_forward_method("{name}")')


def _methods_running_layers(module: cst.Module) -> set[str]:
    """Methods of the script's classes (other than those Fabric marks) that call `self(...)`, `self.forward(...)` or
    a layer the class's `__init__` sets (`self.lm_head(x)`); a name defined otherwise in another class is left out."""
    found: dict[str, bool] = {}
    for klass in (s for s in module.body if isinstance(s, cst.ClassDef)):
        methods = {f.name.value: f for f in klass.body.body if isinstance(f, cst.FunctionDef)}
        layers = _layers(methods.get("__init__"))
        for name, method in methods.items():
            if name in MARKED_BY_FABRIC or name.startswith("__"):
                continue
            runs = any(isinstance(n, cst.Call) and (dotted(n.func) in ("self", "self.forward")
                       or (dotted(n.func) or "").removeprefix("self.") in layers) for n in walk(method))  # fmt: skip
            found[name] = found.get(name, runs) and runs
    return {name for name, runs in found.items() if runs}


def _layers(init: cst.FunctionDef | None) -> set[str]:
    """`self.<name> = <a call>` in `__init__`: the layers (and whatever else a call builds: a module, most often)."""
    if init is None:
        return set()
    return {target.target.attr.value for node in walk(init) if isinstance(node, cst.Assign) and isinstance(node.value, cst.Call)
            for target in node.targets if isinstance(target.target, cst.Attribute) and dotted(target.target.value) == "self"}  # fmt: skip
