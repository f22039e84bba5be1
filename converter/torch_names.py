"""The torch APIs a training script is read by, under their qualified names (`Imports.call_name` resolves aliases
and `from` imports to these): one vocabulary for both targets, so that an optimizer, a GradScaler or a piece of
hand-written DDP means the same to the LightningModule route (`convert/`) and to the Fabric route (`fabric/`).

Each tuple lists every path torch exports the object under: a script that writes `from torch.utils.data import
DistributedSampler` and one that writes `torch.utils.data.distributed.DistributedSampler` use the same class.
"""

from __future__ import annotations

OPTIMIZERS = "torch.optim."
SCHEDULERS = "torch.optim.lr_scheduler."
DATALOADERS = ("torch.utils.data.DataLoader", "torch.utils.data.dataloader.DataLoader")
AUTOCASTS = ("torch.autocast", "torch.amp.autocast", "torch.cuda.amp.autocast", "torch.cpu.amp.autocast")
SCALERS = ("torch.amp.GradScaler", "torch.cuda.amp.GradScaler")
PROCESS_GROUP = ("torch.distributed.init_process_group", "torch.distributed.distributed_c10d.init_process_group")
PROCESS_GROUP_END = ("torch.distributed.destroy_process_group", "torch.distributed.distributed_c10d.destroy_process_group")
DISTRIBUTED_SAMPLERS = ("torch.utils.data.DistributedSampler", "torch.utils.data.distributed.DistributedSampler")
DDP = ("torch.nn.parallel.DistributedDataParallel", "torch.nn.parallel.distributed.DistributedDataParallel")
DATA_PARALLEL = ("torch.nn.DataParallel", "torch.nn.parallel.DataParallel", "torch.nn.parallel.data_parallel.DataParallel")
SPAWN = ("torch.multiprocessing.spawn", "torch.multiprocessing.spawn.spawn")


def is_optimizer(qualified: str | None) -> bool:
    """`torch.optim.SGD`: a class of torch.optim itself, not of its submodules (`lr_scheduler.StepLR`,
    `swa_utils.SWALR` and `swa_utils.AveragedModel` are no optimizers)."""
    name = qualified or ""
    return name.startswith(OPTIMIZERS) and name.count(".") == 2 and name.rsplit(".", 1)[-1][:1].isupper()


def is_scheduler(qualified: str | None) -> bool:
    return (qualified or "").startswith(SCHEDULERS)
