"""`loader = fabric.setup_dataloaders(loader)` right after a DataLoader is built: batches arrive on fabric.device
(and, under DDP, each process reads its own shard). Where the Fabric object does not exist yet, the loader is
left as it is, with the script's own `.to(device)` calls: still right on one device."""

from __future__ import annotations

import libcst as cst

from converter.fabric.script import Script
from converter.names import code

CODES = {"T2L305": "DataLoader set up: fabric.setup_dataloaders(loader) moves its batches to fabric.device"}
DATALOADERS = ("torch.utils.data.DataLoader", "torch.utils.data.dataloader.DataLoader")


def apply(script: Script) -> None:
    for assign in script.index.of_kind(cst.Assign):
        if len(assign.targets) != 1 or script.imports.call_name(assign.value) not in DATALOADERS:
            continue
        statement, loader = script.statement(assign), code(assign.targets[0].target)
        if script.fabric_reachable(statement):
            script.insert_after(statement, f"{loader} = {script.name}.setup_dataloaders({loader})")
            script.loader_setups[loader] = statement
            script.report.add("T2L305", script.line(statement))
            script.uses_fabric(statement)
