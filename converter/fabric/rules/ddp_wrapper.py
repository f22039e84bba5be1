"""`DistributedDataParallel(model, device_ids=[rank])` -> `model`, where Fabric sets that model up: under
`Fabric(strategy="ddp")`, `fabric.setup` wraps it in DistributedDataParallel itself (and `.module` still reaches
the bare model). A wrapper around a model Fabric does not set up stays, marked by `by_hand`: taken away, nothing
would average the gradients.

`model = nn.DataParallel(model)` (often in `if torch.cuda.device_count() > 1:`) goes too, with that `if`, where
Fabric sets the model up, processes or not (T2L327): Fabric's devices and strategy take its place, and a
DataParallel inside each DDP process would split every batch again."""

from __future__ import annotations

import libcst as cst

from converter.convert.rules import data_parallel
from converter.fabric.script import Script
from converter.names import code

CODES = {
    "T2L321": "DistributedDataParallel(model) -> model: fabric.setup wraps the model under strategy=\"ddp\"",
    "T2L327": "model = nn.DataParallel(model) removed: Fabric(devices=..., strategy=...) chooses the devices",
}
WRAPPERS = ("torch.nn.parallel.DistributedDataParallel", "torch.nn.parallel.distributed.DistributedDataParallel")


def apply(script: Script) -> None:
    for call in script.calls(data_parallel.WRAPPERS):
        found = data_parallel.wrapping(script.index, call)
        if found is not None and found[0] in script.model_setups:
            name, statement = found
            script.drop(statement)
            script.handled.add(id(call))
            script.report.add("T2L327", script.line(call), f"`{name} = DataParallel({name})` removed: Fabric(devices=N) trains on N devices, a process each")
    if not script.trains_in_processes():
        return
    for call in script.calls(WRAPPERS):
        model = call.args[0].value if call.args and call.args[0].keyword is None else None
        statement = script.statement(call)
        assign = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
        wrapped = code(assign.targets[0].target) if isinstance(assign, cst.Assign) and assign.value is call else None
        if model is None or not ({code(model), wrapped} & set(script.model_setups)):
            continue
        if wrapped == code(model):  # `model = DDP(model)`: nothing left to do
            script.drop(statement)
        else:
            script.replace(call, lambda _updated, model=model: model)
            script.gone.append(call.func)
        script.handled.add(id(call))
        script.report.add("T2L321", script.line(call))
