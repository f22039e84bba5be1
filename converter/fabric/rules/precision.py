"""Mixed precision by hand -> `Fabric(precision=...)`: `with torch.autocast(...)` -> `with fabric.autocast()`,
`scaler.scale(loss)` inside the backward call -> `loss`, `scaler.step(optimizer)` -> `optimizer.step()`, and the
GradScaler, `scaler.update()` and a `scaler.unscale_(optimizer)` right before a clip are gone. Fabric's precision
plugin does that work: it autocasts the set-up model's forward (and the block inside `fabric.autocast()`), scales
the loss in `fabric.backward`, unscales in `fabric.clip_gradients`, and steps through its own GradScaler in
`optimizer.step()` (skipping a step whose gradients are not finite, then updating the scale).

The precision is what the script's autocast did: "16-mixed" (float16) or "bf16-mixed", on the device type it
named and only while its `enabled=` holds, else "32-true" (a CUDA autocast does nothing on the CPU, where Fabric
would turn "16-mixed" into bf16). All or nothing: one kind of autocast in the script, used in `with`, and one
scaler used only in those four ways (also inside the script's own functions it is passed to), enabled as the
autocast is (a flag assigned a line below the device choice, `use_amp = args.amp and device.type == "cuda"`, by its
value where Fabric is made). Anything else (a scaler's own settings or saved state, an autocast kept in a variable) leaves every
line as written, marked T2L943 by the `by_hand` rule.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass

import libcst as cst

from converter.analysis import walk
from converter.fabric.rules.clipping import CLIPPERS
from converter.fabric.script import Script
from converter.names import bound_names, code, dotted, reads, targets_of
from converter.syntax import named, passed_for, with_args, without_params

CODES = {"T2L314": "mixed precision by hand -> Fabric(precision=...): autocast -> fabric.autocast(); the GradScaler's "
                   "scale, unscale, step and update done by fabric.backward, fabric.clip_gradients and optimizer.step()",
         "T2L945": "a set-up model called outside the script's autocast blocks (an evaluation in float32?): under "
                   "Fabric(precision=...) every forward of a set-up model runs under autocast; check it ran so here too, "
                   "or call the bare module (model.module) there"}
# Each autocast's parameters in order (the ones this rule maps), and the device type the function itself fixes.
AUTOCASTS = {"torch.autocast": (("device_type", "dtype", "enabled"), None),
             "torch.amp.autocast": (("device_type", "dtype", "enabled"), None),
             "torch.cuda.amp.autocast": (("enabled", "dtype"), "cuda"),
             "torch.cpu.amp.autocast": (("enabled", "dtype"), "cpu")}  # fmt: skip
SCALERS = {"torch.amp.GradScaler": ("device",), "torch.cuda.amp.GradScaler": ()}  # only `enabled=` besides
DEFAULT_DTYPE = {"cuda": "torch.float16", "cpu": "torch.bfloat16"}
PRECISION = {"torch.float16": "16-mixed", "torch.half": "16-mixed", "torch.bfloat16": "bf16-mixed"}
SCALER_USES = ("scale", "step", "update", "unscale_")


@dataclass(frozen=True)
class Amp:
    device: str  # the device type's code: '"cuda"', or an expression such as `device.type`
    precision: str  # "16-mixed" or "bf16-mixed"
    enabled: str | None  # the `enabled=` expression's code; None when always on


def _bind(call: cst.Call, params: tuple[str, ...]) -> dict[str, cst.BaseExpression] | None:
    """The call's arguments by parameter name; None for anything else (a `*args`, another keyword, `enabled=False`
    to switch autocast off inside a region)."""
    bound: dict[str, cst.BaseExpression] = {}
    for i, arg in enumerate(call.args):
        name = arg.keyword.value if arg.keyword else params[i] if not arg.star and i < len(params) else None
        if name is None or name not in params:
            return None
        bound[name] = arg.value
    return bound


def _literal(expression: cst.BaseExpression | None) -> object:
    try:
        return ast.literal_eval(code(expression)) if expression is not None else None
    except (ValueError, SyntaxError):
        return None


def _autocast(script: Script, call: cst.Call) -> Amp | None:
    params, fixed = AUTOCASTS[script.call_name(call) or ""]
    bound = _bind(call, params)
    if bound is None or (enabled := bound.get("enabled")) is not None and _literal(enabled) is False:
        return None
    device = fixed or _literal(bound.get("device_type"))
    dtype = script.imports.qualified(bound["dtype"]) if "dtype" in bound else DEFAULT_DTYPE.get(str(device))
    precision = PRECISION.get(dtype or "")
    if precision is None or (device is None and "device_type" not in bound):
        return None
    device_code = repr(device).replace("'", '"') if isinstance(device, str) else code(bound["device_type"])
    return Amp(device_code, precision, None if enabled is None or _literal(enabled) is True else code(enabled))


def _scaler(script: Script, call: cst.Call) -> tuple[str, str | None] | None:
    """(the scaler's name, its `enabled=` code) for `name = GradScaler(enabled=...)` on CUDA with default settings."""
    assign = script.index.parent(call)
    bound = _bind(call, SCALERS[script.call_name(call) or ""] + ("enabled",))
    if (bound is None or _literal(bound.get("device", cst.SimpleString('"cuda"'))) != "cuda"
            or not isinstance(assign, cst.Assign) or len(assign.targets) != 1
            or not isinstance(assign.targets[0].target, cst.Name)):  # fmt: skip
        return None
    enabled = bound.get("enabled")
    return assign.targets[0].target.value, None if enabled is None or _literal(enabled) is True else code(enabled)


def _scaler_edits(script: Script, name: str, assign: cst.CSTNode) -> list[tuple[cst.CSTNode, object]] | None:
    """The edits that take the scaler out, one per use; None when one use is not `scale`/`step`/`update`/`unscale_`
    in the shapes Fabric covers. A scaler passed to a function of the script (`train_one_epoch(..., scaler)`) is
    followed into it under its parameter's name, and leaves the call and the signature."""
    edits: list[tuple[cst.CSTNode, object]] = [(script.statement(assign), None)]
    pending, seen = [(name, script.module)], {id(assign.targets[0].target)}
    while pending:
        current, root = pending.pop()
        for node in script.index.of_kind(cst.Name):
            if node.value != current or id(node) in seen or not script.index.contains(root, node):
                continue
            seen.add(id(node))
            if isinstance(script.index.parent(node), cst.Param):
                continue  # a parameter that takes the scaler: removed with its argument (below)
            passed = _passed_to(script, node)
            if passed is not None:
                call, function, parameter = passed
                edits += [(call, _without_argument(node)), (function, _without_parameter(parameter))]
                pending.append((parameter, function))
                continue
            edit = _use_edit(script, node)
            if edit is None:
                return None
            edits.append(edit)
    return edits


def _use_edit(script: Script, node: cst.Name) -> tuple[cst.CSTNode, object] | None:
    attribute = script.index.parent(node)
    call = script.index.parent(attribute)
    if not (isinstance(attribute, cst.Attribute) and attribute.value is node and attribute.attr.value in SCALER_USES
            and isinstance(call, cst.Call) and call.func is attribute) or not script.fabric_reachable(call):  # fmt: skip
        return None
    use, args = attribute.attr.value, list(call.args)
    statement = script.statement(call)
    alone = isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 and isinstance(
        statement.body[0], cst.Expr) and statement.body[0].value is call  # fmt: skip
    optimizer = code(args[0].value) if len(args) == 1 and args[0].keyword is None else None
    if use == "scale" and len(args) == 1 and args[0].keyword is None and _backward_of(script, call):
        return call, args[0].value.with_changes(lpar=[], rpar=[])
    if use == "step" and alone and optimizer in script.optimizers:
        return call, cst.parse_expression(f"{optimizer}.step()")
    if use == "update" and alone and not args:
        return statement, None
    if use == "unscale_" and alone and optimizer in script.optimizers and _clip_follows(script, statement, optimizer):
        return statement, None
    return None


def _passed_to(script: Script, node: cst.Name) -> tuple[cst.Call, cst.FunctionDef, str] | None:
    """(the call, the function, its parameter) when `node` is an argument of a call of a module-level function that
    every call passes the scaler the same way (so the parameter can go)."""
    arg = script.index.parent(node)
    call = script.index.parent(arg)
    if not (isinstance(arg, cst.Arg) and arg.value is node and not arg.star and isinstance(call, cst.Call)
            and isinstance(call.func, cst.Name)):  # fmt: skip
        return None
    functions = [f for f in script.module.body if isinstance(f, cst.FunctionDef) and f.name.value == call.func.value]
    if len(functions) != 1 or functions[0].params.star_arg is not cst.MaybeSentinel.DEFAULT:
        return None
    params = [p.name.value for p in functions[0].params.params]
    index = [a for a in call.args if a.keyword is None].index(arg) if arg.keyword is None else None
    parameter = arg.keyword.value if arg.keyword else params[index] if index < len(params) else None
    calls = [c for c in script.index.of_kind(cst.Call) if isinstance(c.func, cst.Name) and c.func.value == call.func.value]
    passed = [passed_for(c, parameter, params.index(parameter)) if parameter in params else None for c in calls]
    if not all(a is not None and isinstance(a.value, cst.Name) and a.value.value == node.value for a in passed):
        return None  # a call that passes something else (or nothing) there: the parameter stays
    return call, functions[0], parameter


def _without_argument(node: cst.Name):
    def edit(updated: cst.Call) -> cst.Call:
        return with_args(updated, [a for a in updated.args if not a.value.deep_equals(node)])
    return edit


def _without_parameter(parameter: str):
    return lambda updated: updated.with_changes(params=without_params(updated.params, named(parameter)))


def _backward_of(script: Script, call: cst.Call) -> bool:
    """`scaler.scale(loss).backward(...)`, a call the backward rule routes through fabric.backward."""
    attribute = script.index.parent(call)
    return isinstance(attribute, cst.Attribute) and attribute.attr.value == "backward" and isinstance(
        script.index.parent(attribute), cst.Call)  # fmt: skip


def _clip_follows(script: Script, statement: cst.CSTNode, optimizer: str) -> bool:
    """The next statement clips the gradients of the model set up with this optimizer (fabric.clip_gradients,
    which unscales first)."""
    body = list(getattr(script.index.parent(statement), "body", ()))
    following = body[body.index(statement) + 1] if statement in body[:-1] else None
    calls = [c for c in (walk(following) if following is not None else ()) if isinstance(c, cst.Call)
             and (script.call_name(c) or "") in CLIPPERS and c.args]  # fmt: skip
    return any(script.optimizer_of.get(code(c.args[0].value).removesuffix(".parameters()")) == optimizer for c in calls)


def _bindings(script: Script, name: str) -> list[cst.CSTNode]:
    """The assignments and for loops that bind `name`, anywhere in the script."""
    return [node for node in script.index.nodes for target in targets_of(node) if name in bound_names(target)]


def _known_before_fabric(script: Script, expression: str) -> bool:
    """Every name the expression reads is bound where `fabric = Fabric(...)` runs: a parameter of the function that
    makes it, an import or builtin, a global (when a function makes it), or a name of its scope assigned before it
    (`use_amp = device == "cuda"` a line below the device choice is not)."""
    creation = script.creation
    assert creation is not None
    scope = creation.scope
    params = {p.name.value for p in scope.params.params} if isinstance(scope, cst.FunctionDef) else set()
    for name in reads(cst.parse_expression(expression)):
        if name in params or name in script.imports.aliases or hasattr(builtins, name):
            continue
        bindings = _bindings(script, name)
        if not any((script.scope_of(node) is script.module and scope is not script.module)  # a global, by the call
                   or (script.scope_of(node) is scope and (script.before(node, creation.anchor)
                                                           or script.index.contains(creation.anchor, node)))
                   for node in bindings):  # fmt: skip
            return False
    return True


def _flag_value(script: Script, flag: str) -> str | None:
    """The value of a flag the Fabric lines run before (`use_amp = args.amp and device.type == "cuda"` a line below
    the device choice they replace): its one assignment's value, where that is one statement of the scope that makes
    Fabric and reads only names bound there before it and not bound again (so it has the same value at Fabric's
    creation). None otherwise."""
    creation = script.creation
    assert creation is not None
    bindings = _bindings(script, flag)
    if len(bindings) != 1 or not isinstance(assign := bindings[0], cst.Assign) or len(assign.targets) != 1:
        return None
    holder = script.index.parent(script.statement(assign))
    if holder is not creation.scope and not (isinstance(holder, cst.IndentedBlock) and script.index.parent(holder) is creation.scope):
        return None  # under an `if` or in a loop: not surely its value when Fabric is made
    value = code(assign.value)
    rebound = [node for name in reads(assign.value) for node in _bindings(script, name)
               if not script.before(node, creation.anchor) and not script.index.contains(creation.anchor, node)]
    return value if not rebound and _known_before_fabric(script, value) else None


def _conjuncts(expression: str | None) -> list[str]:
    """The parts of `a and b and c` as code (the expression itself when it is not an `and`)."""
    if expression is None:
        return []
    node = cst.parse_expression(expression)
    parts = []
    while isinstance(node, cst.BooleanOperation) and isinstance(node.operator, cst.And) and not node.lpar:
        parts.append(node.right)
        node = node.left
    return [code(part.with_changes(lpar=[], rpar=[])) for part in [node, *reversed(parts)]]


def _operand(expression: str) -> str:
    """The expression as one operand of `and`: parenthesized unless it is a name, attribute, call or subscript."""
    simple = isinstance(cst.parse_expression(expression), (cst.Name, cst.Attribute, cst.Call, cst.Subscript))
    return expression if simple else f"({expression})"


def _precision(script: Script, amp: Amp) -> str | None:
    """The `precision=` expression: the autocast's precision when Fabric runs on its device type and it is enabled."""
    accelerator = code(script.creation.accelerator)
    conditions = [_operand(amp.enabled)] if amp.enabled else []
    on = _literal(cst.parse_expression(accelerator))
    if amp.device not in (accelerator, script.creation.device):  # (same: `device.type`, or the device Fabric is made from)
        if on == "auto" and amp.device == '"cuda"':
            conditions.append("torch.cuda.is_available()")
        elif isinstance(on, str) and _literal(cst.parse_expression(amp.device)) is not None:
            return None  # autocast for a device the script never runs on: it changed nothing
        elif f"{accelerator} == {amp.device}" not in _conjuncts(amp.enabled):  # (`enabled=device.type == "cuda"` says it)
            conditions.append(f"{accelerator} == {amp.device}")
    return f'"{amp.precision}" if {" and ".join(conditions)} else "32-true"' if conditions else f'"{amp.precision}"'


def apply(script: Script) -> None:
    autocasts, scalers = script.calls(tuple(AUTOCASTS)), script.calls(tuple(SCALERS))
    if script.creation is None or not autocasts or len(scalers) > 1:
        return
    kinds = {_autocast(script, call) for call in autocasts}
    amp = kinds.pop() if len(kinds) == 1 else None
    in_with = all(isinstance(script.index.parent(call), cst.WithItem) and script.fabric_reachable(call) for call in autocasts)
    if amp is None or not in_with:
        return
    edits: list[tuple[cst.CSTNode, object]] = []
    if scalers:
        scaler = _scaler(script, scalers[0])
        found = _scaler_edits(script, scaler[0], script.index.parent(scalers[0])) if scaler else None
        if found is None or scaler[1] != amp.enabled or amp.precision != "16-mixed":
            return
        edits = found
    if amp.enabled and not _known_before_fabric(script, amp.enabled):
        value = _flag_value(script, amp.enabled)
        if value is None:
            return
        amp = Amp(amp.device, amp.precision, value)  # `use_amp = args.amp and device.type == "cuda"` below the device
    script.creation.precision = _precision(script, amp)
    for call in autocasts:
        script.replace(call, cst.parse_expression(f"{script.name}.autocast()"))
        script.uses_fabric(call)
    for node, new in edits:
        if new is None:
            script.drop(node)
        else:
            script.replace(node, new)
    script.handled.update(id(call) for call in (*autocasts, *scalers))
    script.report.add("T2L314", script.line(autocasts[0]))
    if script.creation.precision:
        for call in _forwards_outside(script, autocasts):
            script.mark("T2L945", call, CODES["T2L945"])


def _forwards_outside(script: Script, autocasts: list[cst.Call]) -> list[cst.Call]:
    """Calls of a set-up model (`model(x)`) not inside any of the script's `with <autocast>:` blocks: the script ran
    them in full precision (unless a function called under autocast holds them), Fabric's precision will not."""
    blocks = [script.index.parent(script.index.parent(call)) for call in autocasts]  # WithItem -> With
    return [call for call in script.index.of_kind(cst.Call) if dotted(call.func) in script.model_setups
            and not any(script.index.contains(block, call) for block in blocks)]  # fmt: skip
