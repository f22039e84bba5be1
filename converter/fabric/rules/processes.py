"""Processes started by hand -> Fabric's launch: the shape of PyTorch's DDP tutorials.

    def setup(rank, world_size):                                  (gone: Fabric makes the process group)
        os.environ["MASTER_ADDR"] = "localhost"
        init_process_group("gloo", rank=rank, world_size=world_size)

    def main(rank, world_size, epochs):                   ->      def main(fabric, world_size, epochs):
        setup(rank, world_size)                                       rank = fabric.global_rank
        ...                                                           ...
        destroy_process_group()

    mp.spawn(main, args=(world_size, epochs),             ->      fabric = Fabric(accelerator="cpu", strategy="ddp",
             nprocs=world_size)                                                   devices=world_size)
                                                                  fabric.launch(main, world_size, epochs)

The Fabric object is made where the processes were started (its accelerator from the process group's backend:
gloo -> cpu, nccl -> cuda); the function they ran gets it as its first argument, so the rules after this one find
`fabric` there and in everything it calls. The script's own DistributedSampler stays, and its DataLoaders are left
as written (Fabric's loader wrapper would set the sampler's epoch to the number of times it was iterated, over the
script's own `set_epoch`: a resumed run, or a first batch read to print its size, would read other batches); without
one, they are set up with no sampler of Fabric's own, so each process reads what it read before. `DistributedDataParallel(model)` is the `ddp_wrapper`
rule's. Fabric's "ddp" strategy starts each process by running the script again, as torchrun would: code above the
launch runs in every process (under `mp.spawn` it ran in the first one only).
"""

from __future__ import annotations

import libcst as cst

from converter import torch_names
from converter.fabric.script import Creation, Script, calls_of, flag_if
from converter.names import code, is_docstring
from converter.syntax import last_import

CODES = {
    "T2L318": "processes started by hand (mp.spawn) -> Fabric(strategy=\"ddp\", devices=N) and fabric.launch(function, "
              "...): the function gets the Fabric object first, its rank from fabric.global_rank",
    "T2L319": "process group by hand (init_process_group, destroy_process_group, MASTER_ADDR/MASTER_PORT) removed: "
              "Fabric's launch makes the group",
    "T2L322": "process group from torchrun's environment (init_process_group) -> Fabric(strategy=\"ddp\", devices="
              "LOCAL_WORLD_SIZE, num_nodes=WORLD_SIZE // LOCAL_WORLD_SIZE) where it was made: still run by torchrun",
    "T2L320": "DistributedSampler kept, with the DataLoaders as written (not set up: Fabric's loader would set the "
              "sampler's epoch itself, to how often it was iterated, over the script's set_epoch)",
}
RENDEZVOUS = ('"MASTER_ADDR"', '"MASTER_PORT"', "'MASTER_ADDR'", "'MASTER_PORT'")
ACCELERATORS = {"gloo": '"cpu"', "nccl": '"cuda"'}  # the backend a script chose says where it trains


def _argument(call: cst.Call, position: int, keyword: str) -> cst.BaseExpression | None:
    for i, arg in enumerate(call.args):
        if (arg.keyword is None and i == position and not arg.star) or (arg.keyword and arg.keyword.value == keyword):
            return arg.value
    return None


def _spawn(script: Script) -> tuple[cst.Call, cst.FunctionDef] | None:
    """The one `mp.spawn(function, args=(...), nprocs=N)` statement, its function defined at module level, taking
    the rank first; None when the script starts processes otherwise (kept and marked by `by_hand`)."""
    calls = script.calls(torch_names.SPAWN)
    if len(calls) != 1:
        return None
    call = calls[0]
    if not _alone(script.statement(call), call):
        return None
    known = {"fn", "args", "nprocs", "join", "daemon", "start_method"}
    join = _argument(call, 3, "join")
    if any(a.keyword and a.keyword.value not in known for a in call.args) or (
            join is not None and code(join) != "True"):  # join=False: the caller goes on while they train
        return None  # fmt: skip
    function = _argument(call, 0, "fn")
    defined = [s for s in script.module.body if isinstance(s, cst.FunctionDef) and isinstance(function, cst.Name)
               and s.name.value == function.value]  # fmt: skip
    if len(defined) != 1 or not defined[0].params.params or defined[0].params.posonly_params:
        return None
    if calls_of(script.index, defined[0]):  # also called with a rank by hand (`main(0, 1)`): it keeps its rank
        return None
    arguments = _argument(call, 1, "args")
    if arguments is not None and not isinstance(arguments, (cst.Tuple, cst.Name)):
        return None
    return call, defined[0]


def _launch_arguments(call: cst.Call, function: cst.FunctionDef) -> str:
    arguments = _argument(call, 1, "args")
    if isinstance(arguments, cst.Tuple):
        listed = [code(e.value) for e in arguments.elements]
    else:
        listed = [f"*{code(arguments)}"] if arguments is not None else []
    return ", ".join([function.name.value, *listed])


def _accelerator(script: Script) -> str:
    for call in script.calls(torch_names.PROCESS_GROUP):
        backend = _argument(call, 0, "backend")
        if isinstance(backend, cst.SimpleString) and backend.evaluated_value in ACCELERATORS:
            return ACCELERATORS[backend.evaluated_value]
    return '"auto"' if "cuda" in script.source else '"cpu"'


def _takes_fabric(script: Script, function: cst.FunctionDef, dropped: set[int]) -> None:
    """`def main(rank, ...)` -> `def main(fabric, ...)`, with `rank = fabric.global_rank` where the body still reads
    it (not only in the statements that went)."""
    rank = function.params.params[0].name.value
    reads = any(isinstance(node, cst.Name) and node.value == rank and script.index.contains(function.body, node)
                and id(script.statement(node)) not in dropped for node in script.index.nodes)  # fmt: skip
    line = cst.parse_statement(f"{rank} = {script.name}.global_rank")

    def rewrite(updated: cst.FunctionDef) -> cst.FunctionDef:
        params = list(updated.params.params)
        params[0] = params[0].with_changes(name=cst.Name(script.name), annotation=None)
        body = list(updated.body.body)
        at = 1 if body and is_docstring(body[0]) else 0
        if reads:
            body.insert(at, line)
        return updated.with_changes(params=updated.params.with_changes(params=params),
                                    body=updated.body.with_changes(body=body))  # fmt: skip

    script.replace(function, rewrite)


def _is_rendezvous(node: cst.CSTNode) -> bool:
    """`os.environ["MASTER_ADDR"] = ...` (or MASTER_PORT)."""
    if not (isinstance(node, cst.SimpleStatementLine) and isinstance(node.body[0], cst.Assign)):
        return False
    target = node.body[0].targets[0].target
    return (isinstance(target, cst.Subscript) and code(target.value) == "os.environ"
            and code(target.slice[0].slice) in RENDEZVOUS)  # fmt: skip


def _alone(statement: cst.CSTNode, call: cst.Call) -> bool:
    """The statement is the call and nothing else."""
    return (isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[0], cst.Expr)
            and statement.body[0].value is call)  # fmt: skip


def _remove_process_group(script: Script) -> set[int]:
    """Drop the group's own statements; a function left with nothing else goes, with the statements calling it
    (where one is called inside an expression, it stays, its body a `pass`)."""
    dropped: set[int] = set()
    for call in script.calls(torch_names.PROCESS_GROUP + torch_names.PROCESS_GROUP_END):
        statement = script.statement(call)
        if id(call) in script.handled:  # the Fabric object is made there
            continue
        script.handled.add(id(call))
        if _alone(statement, call):
            dropped.add(id(statement))
            script.report.add("T2L319", script.line(statement))
            scope = script.scope_of(call)
            if isinstance(scope, cst.FunctionDef):
                dropped.update(id(s) for s in scope.body.body if _is_rendezvous(s))
    for function in script.module.body:
        body = function.body.body if isinstance(function, cst.FunctionDef) else ()
        if not any(id(s) in dropped for s in body) or not all(id(s) in dropped or is_docstring(s) for s in body):
            continue
        uses = calls_of(script.index, function)
        if all(_alone(script.statement(call), call) for call in uses):
            dropped.add(id(function))
            dropped.update(id(script.statement(call)) for call in uses)
        else:
            dropped.discard(id(function.body.body[-1]))
            script.replace(function.body.body[-1], cst.SimpleStatementLine([cst.Pass()]))
    for statement_id in dropped:
        script.drop(script.index.by_id[statement_id])
    return dropped


def _torchrun_group(script: Script) -> tuple[cst.Call, str | None] | None:
    """The one `init_process_group(backend=...)` statement made from torchrun's environment (no rank, world size or
    init method of its own), with the flag it is made under: unconditional where it is (None), or the first statement
    of an `if ddp:` of its own scope (nanoGPT's: one process without torchrun, each started by it with it)."""
    calls = script.calls(torch_names.PROCESS_GROUP)
    if len(calls) != 1 or script.calls(torch_names.SPAWN) or not _alone(script.statement(calls[0]), calls[0]):
        return None
    call, scope = calls[0], script.scope_of(calls[0])
    own = [a for a in call.args if (a.keyword is None or a.keyword.value not in ("backend", "timeout")) and not (
        a.keyword and a.keyword.value == "init_method" and code(a.value) in ('"env://"', "'env://'"))]  # torchrun's
    if len(own) > (0 if _argument(call, 0, "backend") is None else 1):
        return None
    block = scope.body.body if isinstance(scope, cst.FunctionDef) else scope.body
    statement = script.statement(call)
    if any(s is statement for s in block):
        return call, None
    flagged = flag_if(script, statement)
    if flagged is not None and any(s is flagged for s in block):
        return call, flagged.test.value
    return None


def _run_by_torchrun(script: Script, call: cst.Call, flag: str | None) -> None:
    """`init_process_group(backend="gloo")` -> the Fabric object, its devices and nodes from torchrun's environment
    (Fabric checks they make the world size); the script is still started by torchrun. Under a flag, the Fabric
    object is made after the flag's `if`, on one device when the flag is off."""
    statement = script.statement(call)
    local = 'int(os.environ["LOCAL_WORLD_SIZE"])'
    strategy, devices, nodes = '"ddp"', local, f'int(os.environ["WORLD_SIZE"]) // {local}'
    if flag is not None:
        strategy, devices, nodes = f'"ddp" if {flag} else "auto"', f"{local} if {flag} else 1", f"{nodes} if {flag} else 1"
        anchor = flag_if(script, statement)
        script.drop(statement)
    else:
        anchor = statement
        script.gone.append(statement)
    script.creation = Creation(script.scope_of(statement), anchor, cst.parse_expression(_accelerator(script)),
                               strategy=strategy, devices=devices, num_nodes=nodes,
                               replaces_anchor=flag is None)  # fmt: skip
    if "os" not in script.imports.aliases:
        script.insert_after(last_import(script.module), "import os")
    script.handled.add(id(call))
    script.report.add("T2L322", script.line(statement))


def apply(script: Script) -> None:
    group = _torchrun_group(script)
    if group is not None:
        _run_by_torchrun(script, *group)
        _remove_process_group(script)
        _keep_samplers(script)
        return
    found = _spawn(script)
    if found is None:
        return
    call, function = found
    statement = script.statement(call)
    script.creation = Creation(script.scope_of(statement), statement, cst.parse_expression(_accelerator(script)),
                               strategy='"ddp"', devices=code(_argument(call, 2, "nprocs") or cst.Integer("1")),
                               launch=_launch_arguments(call, function), replaces_anchor=True)  # fmt: skip
    script.handled.add(id(call))
    script.gone.append(statement)
    script.launched.add(function.name.value)
    script.report.add("T2L318", script.line(statement))
    _takes_fabric(script, function, _remove_process_group(script))
    _keep_samplers(script)


def _keep_samplers(script: Script) -> None:
    for sampler in script.calls(torch_names.DISTRIBUTED_SAMPLERS):
        script.handled.add(id(sampler))
        script.report.add("T2L320", script.line(sampler))
