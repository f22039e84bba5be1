"""Plain-side scaling by hand: what `Trainer(accelerator=..., devices=N, strategy="ddp", precision=...)` does.

Launch one process per device the way PyTorch users do, with torchrun:
    torchrun --nproc-per-node 2 -m pairs.worker mnist_mlp plain --devices 2
Each process reads RANK / LOCAL_RANK / WORLD_SIZE / MASTER_ADDR / MASTER_PORT from the environment
torchrun sets, joins the process group (gloo on CPU, nccl on GPU), and trains its own shard of the data.
Across machines the same command runs on every node with `--nnodes N --node-rank R --rdzv-endpoint HOST:PORT`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, RandomSampler
from torch.utils.data.distributed import DistributedSampler

from pairs.config import RunConfig


class Distributed:
    """This process's place in the job; with one process every method is a no-op."""

    def __init__(self, config: RunConfig) -> None:
        self.seed = config.seed
        self.world_size = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        self.local_rank = int(os.environ.get("LOCAL_RANK", "0"))
        gpu = config.accelerator == "gpu"
        self.device = torch.device("cuda", self.local_rank) if gpu else torch.device("cpu")
        if gpu:
            torch.cuda.set_device(self.device)
        if self.world_size > 1 and not dist.is_initialized():
            dist.init_process_group("nccl" if gpu else "gloo")

    @property
    def is_main(self) -> bool:
        """Only rank 0 writes files (sample grids, checkpoints): the others hold the same weights."""
        return self.rank == 0

    def wrap(self, model: nn.Module) -> nn.Module:
        """DistributedDataParallel averages gradients across processes during backward."""
        if self.world_size == 1:
            return model
        return DistributedDataParallel(model, device_ids=[self.local_rank] if self.device.type == "cuda" else None)

    def shard(self, loader: DataLoader) -> DataLoader:
        """The same loader over this rank's 1/world_size of the data (padded so that every rank gets as many)."""
        if self.world_size == 1:
            return loader
        shuffle = isinstance(loader.sampler, RandomSampler)
        sampler = DistributedSampler(loader.dataset, self.world_size, self.rank, shuffle=shuffle, seed=self.seed)
        return DataLoader(loader.dataset, loader.batch_size, sampler=sampler, collate_fn=loader.collate_fn,
                          drop_last=loader.drop_last)  # fmt: skip

    @staticmethod
    def set_epoch(loader: DataLoader, epoch: int) -> None:
        """A new shuffle each epoch: DistributedSampler seeds its permutation with seed + epoch."""
        if isinstance(loader.sampler, DistributedSampler):
            loader.sampler.set_epoch(epoch)

    @property
    def mean_over_ranks(self):
        """None with one process; else a function: a metric's mean over all ranks, reduced as Lightning's
        `strategy.reduce(..., "mean")` and `self.log(..., sync_dist=True)` do (float32 sum, then / world size)."""
        if self.world_size == 1:
            return None

        def mean(value: float) -> float:
            tensor = torch.tensor(value, dtype=torch.float32, device=self.device)
            dist.all_reduce(tensor)
            return float(tensor / self.world_size)

        return mean

    def reseed(self) -> None:
        """Lightning's DDP setup re-seeds every process with the seed (lightning_fabric reset_seed);
        the plain side does the same at the same point, so both draw the same random numbers afterwards."""
        if self.world_size > 1:
            torch.manual_seed(self.seed)

    def close(self) -> None:
        """Wait for every rank (rank 0 may still be writing a checkpoint). The process group stays up until
        the process exits, as Lightning leaves it, so the launcher can still ask for the world size."""
        if self.world_size > 1 and dist.is_initialized():
            dist.barrier()


def to_device(batch, device: torch.device):
    """Move a batch (tensors in tuples/lists/dicts) to the device; Lightning does this before each step."""
    if isinstance(batch, torch.Tensor):
        return batch.to(device)
    if isinstance(batch, (list, tuple)):
        return type(batch)(to_device(item, device) for item in batch)
    if isinstance(batch, dict):
        return {key: to_device(value, device) for key, value in batch.items()}
    return batch


@contextlib.contextmanager
def autocast(config: RunConfig, device: torch.device) -> Iterator[None]:
    """precision="bf16-mixed" by hand: matrix products in bfloat16, weights and optimizer state in float32.
    Lightning enters the same context around training_step and validation_step (not around backward or the
    optimizer step), so the plain loop wraps exactly those calls.

    cache_enabled=False, as Lightning sets it: autocast caches the bfloat16 copy of each weight for the whole
    region, and the GAN steps an optimizer *inside* the region; with the cache, the generator step would
    read the discriminator's stale pre-step weights."""
    if config.precision == "bf16-mixed":
        with torch.autocast(device.type, dtype=torch.bfloat16, cache_enabled=False):
            yield
    else:  # "32-true"; the pairs support no other value (see RunConfig.precision)
        yield


def deterministic(config: RunConfig) -> None:
    """What Trainer(deterministic=True) sets: deterministic kernels (and cuBLAS's workspace setting on GPU)."""
    if config.accelerator == "gpu":
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.backends.cudnn.benchmark = False
        torch.use_deterministic_algorithms(True)
