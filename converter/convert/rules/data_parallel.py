"""`model = nn.DataParallel(model)` (T2L147): removed, with the `if` that only wraps it.

    model = Net()                                    model = Net()
    if torch.cuda.device_count() > 1:          ->    model = model.to(device)
        model = nn.DataParallel(model)
    model = model.to(device)

The Trainer picks the devices itself (`Trainer(devices=...)`; on several GPUs one process each, DDP), and a
DataParallel module inside a LightningModule would split each batch across GPUs again inside every process. On one
device the wrapper only forwards to the model, so taking it away changes nothing the script computes. It applies
to a name wrapped in place (`model = DataParallel(model, ...)`) that the code never reads `.module` of (the bare
model the wrapper holds: with it gone that would raise AttributeError) but under a test for the wrapper
(`model.module if hasattr(model, "module") else model`), outside the loop the Trainer replaces;
any other DataParallel stays, marked by `distributed` (T2L917).
"""

from __future__ import annotations

import libcst as cst

from converter import torch_names
from converter.names import code, dotted

CODES = {"T2L147": "model = nn.DataParallel(model) removed: the Trainer chooses the devices (DDP on several GPUs)"}
WRAPPERS = torch_names.DATA_PARALLEL
MESSAGE = "`{name} = DataParallel({name})` removed: Trainer(devices=...) chooses the devices (one process each, DDP)"


def removable(plan, call: cst.Call) -> cst.CSTNode | None:
    """The statement to remove for a DataParallel call it applies to (its line, or the `if` that only holds it)."""
    if plan.imports.call_name(call) not in WRAPPERS or plan.index.contains(plan.site, call):
        return None
    found = wrapping(plan.index, call)
    if found is None or any(dotted(a.value) == found[0] and a.attr.value == "module" and not _guarded(plan, a)
                            for a in plan.index.of_kind(cst.Attribute)):  # fmt: skip
        return None
    return found[1]


def _guarded(plan, attribute: cst.Attribute) -> bool:
    """`model.module if hasattr(model, "module") else model`, `state = net.module.state_dict() if isinstance(net,
    nn.DataParallel) else ...` or the same as an `if` statement: without the wrapper the test is false, and what
    runs is the other branch."""
    name, node = dotted(attribute.value), attribute
    while (parent := plan.index.parent(node)) is not None and not isinstance(parent, (cst.FunctionDef, cst.Module)):
        if isinstance(parent, (cst.IfExp, cst.If)) and parent.body is node and tests_the_wrapper(plan.imports, parent.test, name):
            return True
        node = parent
    return False


def tests_the_wrapper(imports, test: cst.BaseExpression, name: str | None) -> bool:
    """`hasattr(name, "module")` or `isinstance(name, nn.DataParallel)` (or a tuple with a wrapper class in it)."""
    if not isinstance(test, cst.Call):
        return False
    function, args = dotted(test.func), [dotted(a.value) for a in test.args]
    if function == "hasattr" and len(args) == 2 and isinstance(test.args[1].value, cst.SimpleString):
        return args[0] == name and test.args[1].value.evaluated_value == "module"
    if function != "isinstance" or len(args) != 2 or args[0] != name:
        return False
    kinds = test.args[1].value
    kinds = [e.value for e in kinds.elements] if isinstance(kinds, cst.Tuple) else [kinds]
    return any(imports.qualified(kind) in WRAPPERS for kind in kinds)


def wrapping(index, call: cst.Call) -> tuple[str, cst.CSTNode] | None:
    """For `name = Wrapper(name, ...)` alone on its line: the name, and what to remove for it (the line, or an `if`
    with no `else` that holds only it); None for any other shape, or a line that is its block's only statement."""
    line = index.statement(call)
    small = line.body[0] if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 else None
    if not (isinstance(small, cst.Assign) and small.value is call and len(small.targets) == 1 and call.args):
        return None
    name = dotted(small.targets[0].target)
    if name is None or dotted(call.args[0].value) != name or call.args[0].keyword is not None:
        return None
    block = index.parent(line)
    holder = index.parent(block)  # an If / For / FunctionDef / ... (None at module level)
    if isinstance(holder, cst.If) and holder.orelse is None and len(holder.body.body) == 1:
        return name, holder
    if isinstance(block, (cst.IndentedBlock, cst.Module)) and len(block.body) > 1:
        return name, line
    return None


def mark(conv, declined: bool = False) -> None:
    """Remove each DataParallel wrapping `removable` accepts and report it (on a declined loop the script stays
    as it was: `distributed` marks the wrapper)."""
    if declined:
        return
    plan = conv.plan
    for call in plan.index.of_kind(cst.Call):
        if (statement := removable(plan, call)) is not None:
            conv.replace[id(statement)] = cst.RemovalSentinel.REMOVE
            conv.report.add("T2L147", plan.line(call), MESSAGE.format(name=code(call.args[0].value)))
