"""`model, optimizer = fabric.setup(model, optimizer)` right after an optimizer is built over `model.parameters()`;
`fabric.setup_optimizers(optimizer)` when its parameters are not one model's, when the model already has its
optimizer, or when wrapping the model would change what the script does with it (T2L308, T2L309)."""

from __future__ import annotations

import libcst as cst

from converter.fabric.script import Script
from converter.names import code, dotted

CODES = {
    "T2L303": "model and optimizer set up together: fabric.setup(model, optimizer), right after the optimizer is built",
    "T2L304": "optimizer set up alone (fabric.setup_optimizers): its parameters are not one model's .parameters()",
    "T2L308": "optimizer set up alone, the model left bare: the script calls torch.func.functional_call, which leaves a "
              "Fabric-wrapped module's parameters replaced by its inputs (pytorch/pytorch#164759)",
    "T2L309": "optimizer set up alone, the model left bare: the script pickles the model object itself (torch.save, "
              "isinstance, type), which a Fabric wrapper would change",
    "T2L941": "optimizer built before the Fabric object exists: set it up by hand with fabric.setup(model, optimizer)",
    "T2L944": "optimizer built inside an expression (a list, a dict, an argument), not set up: on one device the script "
              "computes what it did; for DDP or precision=, set up each model with its optimizer by hand "
              "(fabric.setup(model, optimizer))",
}
OBJECT_USES = ("torch.save", "isinstance", "type")  # calls that see the model object itself, not its behaviour
# functional_call swaps parameters by name and puts them back; a _FabricModule reaches its module by two paths
# (_forward_module, _original_module), and torch restores only one: the weights stay the tensors it was given.
FUNCTIONAL_CALLS = ("torch.func.functional_call", "torch.nn.utils.stateless.functional_call")


def is_optimizer(script: Script, call: cst.BaseExpression) -> bool:
    name = script.imports.call_name(call) or ""
    last = name.rsplit(".", 1)[-1]
    return name.startswith("torch.optim.") and "lr_scheduler" not in name and last[:1].isupper()


def _model_of(call: cst.Call) -> str | None:
    """`X` when the optimizer's parameters are `X.parameters()` (X a plain or dotted name)."""
    first = next((a.value for a in call.args if a.keyword is None or a.keyword.value == "params"), None)
    if (isinstance(first, cst.Call) and not first.args and isinstance(first.func, cst.Attribute)
            and first.func.attr.value == "parameters" and dotted(first.func.value)):  # fmt: skip
        return dotted(first.func.value)
    return None


def _unnamed_optimizers(script: Script) -> None:
    """Optimizers not built as `name = Optimizer(...)` (in a list, a dict, passed as an argument): marked, once per
    statement, since which model each one belongs to is the script's own business."""
    marked = set()
    for call in script.index.of_kind(cst.Call):
        parent = script.index.parent(call)
        if not is_optimizer(script, call) or (isinstance(parent, cst.Assign) and len(parent.targets) == 1):
            continue
        statement = script.statement(call)
        if id(statement) not in marked:
            marked.add(id(statement))
            script.mark("T2L944", statement, CODES["T2L944"])


def apply(script: Script) -> None:
    _unnamed_optimizers(script)
    fabric, seen = script.name, set()  # seen: models already set up with an optimizer
    functional = bool(script.calls(FUNCTIONAL_CALLS))
    seen_whole = {code(call.args[0].value) for call in script.index.of_kind(cst.Call)
                  if call.args and (script.imports.call_name(call) in OBJECT_USES)}  # fmt: skip
    for assign in script.index.of_kind(cst.Assign):
        if len(assign.targets) != 1 or not is_optimizer(script, assign.value):
            continue
        statement, optimizer = script.statement(assign), code(assign.targets[0].target)
        if not script.fabric_reachable(statement):
            script.mark("T2L941", statement, CODES["T2L941"])
            continue
        script.optimizers.add(optimizer)
        model = _model_of(assign.value)
        scope = script.scope_of(statement)
        rebindable = model and (("." in model) or script.binds(scope, model))  # a global read in a function: not
        if model and rebindable and model not in seen and not functional and model not in seen_whole:
            seen.add(model)
            script.optimizer_of[model] = optimizer
            script.model_setups[model] = statement
            script.insert_after(statement, f"{model}, {optimizer} = {fabric}.setup({model}, {optimizer})")
            script.report.add("T2L303", script.line(statement))
        else:
            script.insert_after(statement, f"{optimizer} = {fabric}.setup_optimizers({optimizer})")
            why = "T2L308" if model and functional else "T2L309" if model in seen_whole else "T2L304"
            script.report.add(why, script.line(statement))
        script.uses_fabric(statement)
