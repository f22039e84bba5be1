"""Data parallelism written by hand (T2L917): kept as it is, each piece marked with what replaces it.

    init_process_group("gloo", rank=rank, world_size=world_size)     Trainer(strategy="ddp", devices=world_size)
    model = DDP(model, device_ids=[rank])                       ->   sets up the process group, wraps the model,
    DataLoader(dataset, sampler=DistributedSampler(dataset))         shards the data (and calls set_epoch), and
    mp.spawn(main, args=(world_size,), nprocs=world_size)            starts the processes

The converted module still runs as the script did (the process group and the wrapper are the user's, Lightning
trains on one device per process), so nothing is removed silently: each call is marked, and the report says
what to delete and which Trainer flags take over.
"""

from __future__ import annotations

import libcst as cst

from converter import torch_names
from converter.convert.rules import data_parallel

CODES = {"T2L917": "data parallelism by hand (DDP, init_process_group, DistributedSampler, mp.spawn): kept, marked"}
REPLACED_BY = {  # what Lightning does instead; what to do with the call (under each name torch exports it by)
    **dict.fromkeys(torch_names.DDP, "Trainer(strategy=\"ddp\", devices=N) wraps the model; remove the wrapper "
                                     "(`.module` -> the model)"),
    **dict.fromkeys(torch_names.DATA_PARALLEL, "Trainer(devices=N) runs one process per device; remove the wrapper "
                                               "(`.module` -> the model)"),
    **dict.fromkeys(torch_names.PROCESS_GROUP, "Trainer(strategy=\"ddp\", devices=N) sets up the process group; remove "
                                               "the call (or keep the loop: `t2l convert --to fabric` makes the group Fabric's)"),
    **dict.fromkeys(torch_names.PROCESS_GROUP_END, "the Trainer tears the process group down; remove the call"),
    **dict.fromkeys(torch_names.DISTRIBUTED_SAMPLERS, "Lightning shards the data itself and calls set_epoch; remove the sampler"),
    **dict.fromkeys(torch_names.SPAWN, "Trainer(strategy=\"ddp\", devices=N) starts the processes; call the function once "
                                       "instead (or keep the loop: `t2l convert --to fabric` makes the launch Fabric's)"),
}  # fmt: skip


def mark(conv, declined: bool = False) -> None:
    """Mark each call of a hand-written data-parallel piece with what replaces it in Lightning (when the loop was
    declined, also those inside it: it stays)."""
    plan = conv.plan
    for call in plan.index.of_kind(cst.Call):
        name = plan.imports.call_name(call)
        if name in REPLACED_BY and (declined or not plan.index.contains(plan.site, call)):  # the site's loop is gone
            if not declined and data_parallel.removable(plan, call) is not None:
                continue  # removed by data_parallel
            short = name.rsplit(".", 1)[-1]
            conv.todo("T2L917", call, f"`{short}` by hand: {REPLACED_BY[name]}")
