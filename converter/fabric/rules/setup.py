"""`model, optimizer = fabric.setup(model, optimizer)` right after an optimizer is built over `model.parameters()`;
also over parameter groups that all come from one model (BERT's `no_decay` split: `[{"params": [p for n, p in
model.named_parameters() if ...]}, ...]`, or lists filled in a loop over them, T2L331), which left bare would get
neither DDP's gradient sync nor precision's autocast once the user raises `devices=` or sets `precision=`;
`fabric.setup_optimizers(optimizer)` when its parameters are not one model's, when the model already has its
optimizer, or when wrapping the model would change what the script does with it (T2L308, T2L309).

Three shapes around that: a model put in a list before its optimizer exists (`nets = [net_a, net_b]`, then one
optimizer each) is set up where it is built (`fabric.setup_module`), so the list holds the set-up model (T2L315);
`return model, SGD(model.parameters())` returns `fabric.setup(model, SGD(...))`, the same pair set up; optimizers
built in a list, one per model (`[SGD(nets[0].parameters()), Adam(nets[1].parameters())]`, or
`[Adam(net.parameters()) for net in nets]`), are set up pairwise after it (T2L316)."""

from __future__ import annotations

import libcst as cst

from converter.convert.rules import data_parallel
from converter.fabric import trained_models
from converter.fabric.script import Script, setup_point
from converter.fabric.trained_models import is_optimizer
from converter.names import bound_names, code, dotted, targets_of
from converter.saved import saved_whole

CODES = {
    "T2L303": "model and optimizer set up together: fabric.setup(model, optimizer), right after the optimizer is built",
    "T2L331": "model and optimizer set up together: fabric.setup(model, optimizer); the optimizer's parameters (groups "
              "with and without weight decay, `filter(lambda p: p.requires_grad, ...)`, lists filled in a loop) all come "
              "from that model's parameters() or named_parameters()",
    "T2L332": "model and optimizer set up together: fabric.setup(model, optimizer) after the call of the script's "
              "function that builds the optimizer (`optimizer = get_optimizer(cfg, model)`), for the model it is given",
    "T2L334": "models set up one by one (fabric.setup_module), then their optimizer (fabric.setup_optimizers): the "
              "optimizer's parameters come from several models (`itertools.chain(a.parameters(), b.parameters())`, "
              "a parameter group each)",
    "T2L304": "optimizer set up alone (fabric.setup_optimizers): its parameters are not one model's .parameters()",
    "T2L308": "optimizer set up alone, the model left bare: the script calls torch.func.functional_call, which leaves a "
              "Fabric-wrapped module's parameters replaced by its inputs (pytorch/pytorch#164759)",
    "T2L309": "optimizer set up alone, the model left bare: the script pickles, type-checks or indexes the model object "
              "itself (torch.save, isinstance, type, `model[0]` of an nn.Sequential), which a Fabric wrapper would "
              "change or not support",
    "T2L315": "model set up where it is built (fabric.setup_module), its optimizer where that is built "
              "(fabric.setup_optimizers): the script puts the model in a list or dict before its optimizer exists",
    "T2L316": "optimizers built in a list, one per model: each model set up with its optimizer after the list",
    "T2L326": "model set up where it is built (fabric.setup_module), its optimizer each time that is built "
              "(fabric.setup_optimizers): the script builds the optimizer anew inside a loop",
    "T2L328": "optimizer built before the Fabric object is made (the device chosen after it): set up right after the "
              "Fabric lines, nothing having trained in between",
    "T2L329": "optimizer not set up, its model left bare: the script pickles the optimizer object itself "
              "(`torch.save({\"optimizer\": optimizer}, ...)`, the sgrvinod tutorials' save_checkpoint), which Fabric's "
              "wrapper, a class made at run time, cannot be; on one device the script computes what it did",
    "T2L338": "optimizer built in the call that trains its model (`train(net, Adam(net.parameters()))`): the model "
              "set up where it is built (fabric.setup_module), the optimizer where it is passed "
              "(fabric.setup_optimizers(...))",
    "T2L941": "optimizer built before the Fabric object exists: set it up by hand with fabric.setup(model, optimizer)",
    "T2L944": "optimizer built inside an expression (a list, a dict, an argument), not set up: on one device the script "
              "computes what it did; for DDP or precision=, set up each model with its optimizer by hand "
              "(fabric.setup(model, optimizer))",
}
OBJECT_USES = ("torch.save", "isinstance", "type")  # calls that see the model object itself, not its behaviour
MODULE = ("torch.nn.Module", "torch.nn.modules.module.Module")  # a _FabricModule is one: `isinstance` keeps its answer
# functional_call swaps parameters by name and puts them back; a _FabricModule reaches its module by two paths
# (_forward_module, _original_module), and torch restores only one: the weights stay the tensors it was given.
FUNCTIONAL_CALLS = ("torch.func.functional_call", "torch.nn.utils.stateless.functional_call")


def _binds(script: Script, scope: cst.Module | cst.FunctionDef, name: str) -> bool:
    """Whether a function binds `name` itself (a parameter or an assignment): a module binds every global."""
    if isinstance(scope, cst.Module):
        return True
    params = {p.name.value for p in (*scope.params.params, *scope.params.posonly_params, *scope.params.kwonly_params)}
    if name in params:
        return True
    return any(name in bound_names(target) for node in script.index.nodes if script.index.contains(scope, node)
               for target in targets_of(node))  # fmt: skip


def _pickled_whole(script: Script) -> set[str]:
    """Names whose objects the script pickles whole (converter/saved.py): left as they are."""
    functions = {f.name.value: f for f in script.module.body if isinstance(f, cst.FunctionDef)}
    return {name for call in script.index.of_kind(cst.Call) for value in saved_whole(call, functions, script.call_name)
            if (name := dotted(value)) is not None}  # fmt: skip


def used_whole(script: Script, pickled: set[str] | None = None) -> set[str]:
    """Names whose object itself the script uses (pickles, type-checks, indexes): a Fabric wrapper would change
    what that gives, so they are not set up (T2L309). `pickled`: `_pickled_whole(script)`, where the caller has it."""
    found = {code(call.args[0].value) for call in script.index.of_kind(cst.Call)
             if call.args and (script.call_name(call) in OBJECT_USES) and not _module_test(script, call)}  # fmt: skip
    # `model[0].weight`: a _FabricModule is no nn.Sequential (no __getitem__), the script's indexing would fail
    found |= {code(item.value) for item in script.index.of_kind(cst.Subscript)}
    return found | (pickled if pickled is not None else _pickled_whole(script))


def _module_test(script: Script, call: cst.Call) -> bool:
    """`isinstance(net, torch.nn.Module)` (Dive into Deep Learning's `if isinstance(net, nn.Module): net.train()`):
    true of the wrapped model too, so it does not keep the model bare. Nor does a test for a DataParallel wrapper
    the set-up takes away (`net.module.state_dict() if isinstance(net, nn.DataParallel) else net.state_dict()`,
    rules/ddp_wrapper.py): false then, as it was on one device, and the set-up model's state_dict has the same keys."""
    if script.call_name(call) != "isinstance" or len(call.args) != 2:
        return False
    name = dotted(call.args[0].value)
    wrapped = {found[0] for c in script.calls(data_parallel.WRAPPERS) if (found := data_parallel.wrapping(script.index, c))}
    return script.imports.qualified(call.args[1].value) in MODULE or (
        name in wrapped and data_parallel.tests_the_wrapper(script.imports, call, name))


def _parameters_of(script: Script, call: cst.BaseExpression) -> str | None:
    """The code of `M` when `call` builds an optimizer over `M.parameters()` (M a name, attribute or subscript)."""
    first = trained_models.parameters_argument(call) if isinstance(call, cst.Call) and is_optimizer(script, call) else None
    if (isinstance(first, cst.Call) and not first.args and isinstance(first.func, cst.Attribute)
            and first.func.attr.value == "parameters"
            and isinstance(first.func.value, (cst.Name, cst.Attribute, cst.Subscript))):  # fmt: skip
        return code(first.func.value)
    return None


def _returned_pair(script: Script, call: cst.Call) -> bool:
    """`return model, Optimizer(model.parameters(), ...)` -> `return fabric.setup(model, Optimizer(...))`."""
    element = script.index.parent(call)
    pair = script.index.parent(element)
    if not (isinstance(pair, cst.Tuple) and isinstance(script.index.parent(pair), cst.Return)
            and len(pair.elements) == 2 and pair.elements[1] is element and not isinstance(element, cst.StarredElement)
            and _parameters_of(script, call) == code(pair.elements[0].value) and script.fabric_reachable(call)):  # fmt: skip
        return False
    script.replace(pair, lambda updated: cst.parse_expression(
        f"{script.name}.setup({code(updated.elements[0].value)}, {code(updated.elements[1].value)})"))
    script.report.add("T2L303", script.line(call))
    script.uses_fabric(call)
    return True


def _list_of_pairs(script: Script, listed: cst.List | cst.ListComp, seen: set[str]) -> bool:
    """`opts = [SGD(nets[0].parameters()), Adam(nets[1].parameters())]` or `opts = [Adam(n.parameters()) for n in
    nets]` (nets a list or ModuleList the script builds): each model set up with its optimizer, after the list."""
    assign = script.index.parent(listed)
    if not (isinstance(assign, cst.Assign) and len(assign.targets) == 1 and isinstance(assign.targets[0].target, cst.Name)
            and script.fabric_reachable(assign)):  # fmt: skip
        return False
    optimizers, fabric, statement = assign.targets[0].target.value, script.name, script.statement(assign)
    if isinstance(listed, cst.List):
        models = [_parameters_of(script, e.value) for e in listed.elements]
        if not all(models) or len(set(models)) < len(models) or seen & set(models):
            return False
        lines = [f"{m}, {optimizers}[{i}] = {fabric}.setup({m}, {optimizers}[{i}])" for i, m in enumerate(models)]
    else:
        loop = listed.for_in
        if not (isinstance(loop.target, cst.Name) and isinstance(loop.iter, cst.Name) and loop.inner_for_in is None
                and not loop.ifs and _parameters_of(script, listed.elt) == loop.target.value
                and _builds_a_list(script, loop.iter.value, statement)):  # fmt: skip
            return False
        models, index = loop.iter.value, script.fresh("i")
        lines = [f"for {index} in range(len({models})):\n"
                 f"    {models}[{index}], {optimizers}[{index}] = {fabric}.setup({models}[{index}], {optimizers}[{index}])"]
    script.insert_after(statement, *lines)
    script.report.add("T2L316", script.line(statement))
    script.uses_fabric(statement)
    return True


def _assignments_before(script: Script, name: str, node: cst.CSTNode) -> list[cst.Assign]:
    """The `=` statements that bind `name` (alone or in a tuple) before `node`, in node's function, in order."""
    scope = script.scope_of(node)
    return [a for a in script.index.of_kind(cst.Assign) if script.scope_of(a) is scope and script.before(a, node)
            and any(name in bound_names(t.target) for t in a.targets)]  # fmt: skip


def _builds_a_list(script: Script, name: str, before: cst.CSTNode) -> bool:
    """`name` is last bound, before `before` in its scope, to a list, a list comprehension or an nn.ModuleList."""
    bindings = _assignments_before(script, name, before)
    last = bindings[-1].value if bindings else None
    return isinstance(last, (cst.List, cst.ListComp)) or script.call_name(last) == "torch.nn.ModuleList"


def _unnamed_optimizers(script: Script, seen: set[str], blocked: set[str]) -> None:
    """Optimizers not built as `name = Optimizer(...)`: set up in the shapes above; else marked, once per statement,
    since which model each one belongs to is the script's own business."""
    marked, listed = set(), set()
    for call in script.index.of_kind(cst.Call):
        parent = script.index.parent(call)
        if not is_optimizer(script, call) or (isinstance(parent, cst.Assign) and len(parent.targets) == 1) or (
                id(call) in script.handled):  # fmt: skip
            continue
        if _returned_pair(script, call) or (isinstance(parent, cst.Arg) and _passed_beside_its_model(script, call, parent, seen, blocked)):
            continue
        container = script.index.parent(parent) if isinstance(parent, cst.Element) else parent
        if isinstance(container, (cst.List, cst.ListComp)) and (id(container) in listed or (
                _list_of_pairs(script, container, seen) and not listed.add(id(container)))):  # fmt: skip
            continue
        statement = script.statement(call)
        if id(statement) not in marked:
            marked.add(id(statement))
            script.mark("T2L944", statement, CODES["T2L944"])


def _passed_beside_its_model(script: Script, call: cst.Call, argument: cst.Arg, seen: set[str], blocked: set[str]) -> bool:
    """`train(net, loss_fn, Adam(net.parameters(), lr=0.01), loader)` (T2L338): the call that trains the model is given
    both, so `net` is the trained model; set up where it is built (once, though several calls pass it), the optimizer
    wrapped where it is built. Not for a model held in an attribute, pickled or type-tested whole, or built in a
    list, nor under torch.func (T2L944 then)."""
    model, outer = _parameters_of(script, call), script.index.parent(argument)
    if (model is None or "." in model or model in blocked or not isinstance(outer, cst.Call) or script.calls(FUNCTIONAL_CALLS)
            or not any(isinstance(a.value, cst.Name) and a.value.value == model for a in outer.args)
            or not script.fabric_reachable(call)):  # fmt: skip
        return False
    if model not in script.model_setups:
        built = _last_build(script, model, call)
        if built is None or model in seen or _listed_before(script, model, call):
            return False
        script.insert_after(built, f"{model} = {script.name}.setup_module({model})")
        script.model_setups[model] = built
        seen.add(model)
    script.replace(call, lambda updated: cst.parse_expression(f"{script.name}.setup_optimizers({code(updated)})"))
    script.report.add("T2L338", script.line(call))
    script.uses_fabric(call)
    return True


def _last_build(script: Script, model: str, optimizer: cst.CSTNode) -> cst.CSTNode | None:
    """The statement that last binds `model` before its optimizer is built, when Fabric exists there."""
    bindings = _assignments_before(script, model, optimizer)
    built = script.statement(bindings[-1]) if bindings else None
    return built if built is not None and script.fabric_reachable(built) else None


def _listed_before(script: Script, model: str, optimizer: cst.CSTNode) -> cst.CSTNode | None:
    """The statement that last builds `model` before its optimizer, when a list, tuple or dict takes the model in
    between (`nets = [net_a, net_b]`): setting it up after the optimizer would leave the bare model in there."""
    built = _last_build(script, model, optimizer)
    if built is None or script.index.parent(built) is not script.index.parent(optimizer):
        return None
    for element in script.index.of_kind((cst.Element, cst.DictElement)):
        name = element.value
        if (isinstance(name, cst.Name) and name.value == model and script.before(built, name)
                and script.before(name, optimizer) and not script.index.contains(built, name)):  # fmt: skip
            return built
    return None


def _built_outside_the_loop(script: Script, model: str, optimizer: cst.CSTNode) -> cst.CSTNode | None:
    """The statement that last builds `model` before its optimizer, when the optimizer is built inside a loop that
    statement is not in (`for epoch ...: optimizer = SGD(model.parameters(), lr=lr)`): fabric.setup would be given
    the same model again on the loop's second pass (a ValueError)."""
    built = _last_build(script, model, optimizer)
    if built is None:
        return None
    loops = [a for a in script.index.ancestors(optimizer) if isinstance(a, (cst.For, cst.While))
             and script.scope_of(a) is script.scope_of(optimizer)]  # fmt: skip
    return built if any(not script.index.contains(loop, built) for loop in loops) else None


def _models_set_up_one_by_one(script: Script, models: list[str], optimizer: str, statement: cst.CSTNode,
                              blocked: set[str]) -> bool:
    """One optimizer over several models' parameters (CycleGAN's `Adam(itertools.chain(G_AB.parameters(),
    G_BA.parameters()))`, an encoder's and a head's groups): `fabric.setup` takes one model, so each is set up with
    `fabric.setup_module` and the optimizer with `fabric.setup_optimizers` (T2L334), for models held in names the
    scope binds, built outside any loop the optimizer is built in, not in a list yet, and not set up already."""
    scope = script.scope_of(statement)
    if script.calls(FUNCTIONAL_CALLS) or any("." in m or m in blocked or not _binds(script, scope, m)
                                             or _listed_before(script, m, statement) or _built_outside_the_loop(script, m, statement)
                                             for m in models):  # fmt: skip
        return False
    fabric = script.name
    script.insert_after(statement, *[f"{m} = {fabric}.setup_module({m})" for m in models],
                        f"{optimizer} = {fabric}.setup_optimizers({optimizer})")
    for model in models:
        script.model_setups[model] = statement
    script.report.add("T2L334", script.line(statement))
    script.uses_fabric(statement)
    return True


def apply(script: Script) -> None:
    fabric, seen = script.name, set()  # seen: models already set up with an optimizer
    functional = bool(script.calls(FUNCTIONAL_CALLS))
    pickled = _pickled_whole(script)
    seen_whole = used_whole(script, pickled)
    factories = trained_models.factories(script)
    inside = {id(call) for factory in factories.values() for call, _ in factory.built}  # set up where they are called
    script.handled |= inside
    for assign in script.index.of_kind(cst.Assign):
        factory = factories.get(id(assign.value))
        if len(assign.targets) != 1 or id(assign.value) in inside or not (factory or is_optimizer(script, assign.value)):
            continue
        statement, optimizer = script.statement(assign), code(assign.targets[0].target)
        point = setup_point(script, statement)
        if point is None:
            script.mark("T2L941", statement, CODES["T2L941"])
            continue
        if optimizer in pickled:  # left as it is: the script's own object is what it saves
            script.report.add("T2L329", script.line(statement))
            continue
        script.optimizers.add(optimizer)
        several: list[str] = []
        if factory is not None:
            model, grouped = factory.model(script, assign.value)  # type: ignore[arg-type]
        elif (model := trained_models.model_of(assign.value)) is not None:  # type: ignore[arg-type]
            grouped = False
        else:
            several = trained_models.grouped_models(script, assign.value, statement) or []  # type: ignore[arg-type]
            model, grouped = (several.pop(), True) if len(several) == 1 else (None, False)
        scope = script.scope_of(statement)
        if several and point is statement and _models_set_up_one_by_one(script, several, optimizer, statement, seen | seen_whole):
            seen.update(several)
            continue
        rebindable = model and (("." in model) or _binds(script, scope, model))  # a global read in a function: not
        paired = bool(model and rebindable and model not in seen and not functional and model not in seen_whole)
        built = _listed_before(script, model, statement) if paired and "." not in model else None
        rebuilt = _built_outside_the_loop(script, model, statement) if paired and "." not in model and not built else None
        if paired:
            seen.add(model)
            script.optimizer_of[model] = optimizer
            if grouped:
                script.grouped.add(model)
            script.model_setups[model] = built or rebuilt or point
        if point is not statement:  # built before the Fabric object: set up after it (T2L328)
            script.after_fabric.append(f"{model}, {optimizer} = {fabric}.setup({model}, {optimizer})" if paired
                                       else f"{optimizer} = {fabric}.setup_optimizers({optimizer})")  # fmt: skip
            script.report.add("T2L328", script.line(statement))
        elif built is not None or rebuilt is not None:
            script.insert_after(built or rebuilt, f"{model} = {fabric}.setup_module({model})")
            script.insert_after(statement, f"{optimizer} = {fabric}.setup_optimizers({optimizer})")
            script.report.add("T2L315" if built is not None else "T2L326", script.line(statement))
        elif paired:
            script.insert_after(statement, f"{model}, {optimizer} = {fabric}.setup({model}, {optimizer})")
            script.report.add("T2L332" if factory else "T2L331" if grouped else "T2L303", script.line(statement))
        else:
            script.insert_after(statement, f"{optimizer} = {fabric}.setup_optimizers({optimizer})")
            why = "T2L308" if model and functional else "T2L309" if model in seen_whole else "T2L304"
            script.report.add(why, script.line(statement))
        script.uses_fabric(statement)
    _unnamed_optimizers(script, seen, seen_whole | pickled)
