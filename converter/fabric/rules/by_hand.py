"""What the script does by hand that Fabric would do for it, not rewritten yet: devices, processes and gradient
averaging (`init_process_group`, `DistributedDataParallel`, `DataParallel`, `DistributedSampler`, `mp.spawn`),
and mixed precision the `precision` rule could not take whole (a GradScaler with its own settings or saved state, an autocast kept in a
variable or of two kinds). The lines are kept (they still run) and marked with the Fabric flag that replaces them."""

from __future__ import annotations

from converter import torch_names
from converter.fabric.script import Script

CODES = {
    "T2L942": "devices and processes by hand (init_process_group, DistributedDataParallel, DataParallel, "
              "DistributedSampler, mp.spawn): kept; Fabric(strategy=\"ddp\", devices=N) and fabric.setup do it",
    "T2L943": "mixed precision by hand (autocast, GradScaler) not in a shape Fabric's own scaler and autocast match "
              "(a scaler's own settings or saved state, an autocast in a variable or of two kinds): kept; "
              "Fabric(precision=\"bf16-mixed\" or \"16-mixed\") and fabric.backward do it",
}
BY_HAND = {
    "T2L942": (*torch_names.PROCESS_GROUP, *torch_names.DDP, *torch_names.DATA_PARALLEL,
               *torch_names.DISTRIBUTED_SAMPLERS, *torch_names.SPAWN),
    "T2L943": (*torch_names.AUTOCASTS, *torch_names.SCALERS),
}


def apply(script: Script) -> None:
    for todo, names in BY_HAND.items():
        for call in script.calls(names):
            if id(call) not in script.handled:
                script.mark(todo, call, CODES[todo])
