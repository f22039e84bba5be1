"""MNIST MLP, Lightning Fabric: plain.py's loop kept; Fabric does devices, processes, precision and checkpoints.

    python -m pairs.mnist_mlp.fabric --epochs 3
    python -m pairs.mnist_mlp.fabric --precision bf16-mixed                 # Fabric(precision=...)
    torchrun --nproc-per-node 2 -m pairs.mnist_mlp.fabric --devices 2       # DDP (gloo on CPU, nccl on GPU)
    python -m pairs.mnist_mlp.fabric --checkpoint    (killed?)    ... --checkpoint --resume

Read it beside plain.py (`t2l show mnist_mlp --sides plain,fabric`, `sdiff -w 200 plain.py fabric.py`): only
the lines Fabric changes differ, each saying what it replaced.
"""

from __future__ import annotations

import os
from pathlib import Path

import torch
import torch.nn.functional as F
from lightning_fabric import Fabric
from torch.utils.data import DataLoader

from pairs import arguments, checkpoints
from pairs.data import mnist
from pairs.mnist_mlp.model import LEARNING_RATE, MLP, summarise


# --- Model -------------------------------------------------------------------------------------
def build_model(seed: int) -> MLP:
    torch.manual_seed(seed)  # right before building: the same initial weights as pl.seed_everything
    return MLP()


# --- Data --------------------------------------------------------------------------------------
def build_dataloaders(batch_size: int, data: str):
    splits = mnist.load(data)
    # was: DistributedSamplers with DDP; fabric.setup_dataloaders swaps them in, seeded by fabric.seed_everything.
    return DataLoader(splits.train, batch_size, shuffle=True), DataLoader(splits.val, batch_size)


# --- Optimizer ---------------------------------------------------------------------------------
def configure_optimizers(model: MLP) -> torch.optim.Optimizer:
    return torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)


# --- Training step -----------------------------------------------------------------------------
def training_step(model: MLP, batch: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
    images, labels = batch
    return F.nll_loss(model(images), labels)


# --- Validation --------------------------------------------------------------------------------
def validation_step(model: MLP, batch: tuple[torch.Tensor, torch.Tensor]) -> dict:
    images, labels = batch
    log_probs = model(images)
    loss = F.nll_loss(log_probs, labels)
    correct = (log_probs.argmax(dim=1) == labels).sum()
    return {"loss": loss, "correct": correct, "count": len(labels)}


# --- Fit loop ----------------------------------------------------------------------------------
def save_checkpoint(fabric: Fabric, directory: Path, state: dict) -> None:
    """ModelCheckpoint(save_last=True) by hand, so that a crash mid-write cannot destroy the last good one."""
    temporary = directory / "last.pt.tmp"
    # was: torch.save into an open file, on rank 0 only. Every process calls fabric.save: rank 0 writes, all wait.
    fabric.save(temporary, checkpoints.seal(state))  # seal: ours, a SHA-256 of the tensors checked on load
    if fabric.is_global_zero:
        checkpoints.fsync_file(temporary)  # on disk before the rename, not only in the page cache
        checkpoints.keep_previous(directory)  # ours: last.pt -> previous.pt, the fallback if last.pt is damaged
        os.replace(temporary, directory / "last.pt")  # atomic: readers see the old file or the new one, never half
        checkpoints.fsync_directory(directory)
    fabric.barrier()  # no process goes on (or reads last.pt) before it is in place


def load_checkpoint(fabric: Fabric, directory: Path) -> dict | None:
    """trainer.fit(ckpt_path=...) by hand; weights_only=True: loading cannot run code hidden in the pickle."""
    return checkpoints.newest_readable(directory, lambda path: fabric.load(path, weights_only=True))  # torch.load


def main(argv: list[str] | None = None) -> MLP:
    args = arguments.parse(argv, __doc__, epochs=3)
    # was: WORLD_SIZE, RANK and the device from torchrun's environment, init_process_group("gloo" or "nccl").
    fabric = Fabric(accelerator=args.accelerator, devices=args.devices, precision=args.precision,
                    strategy="ddp" if args.devices > 1 else "auto")  # fmt: skip
    fabric.launch()  # joins torchrun's processes, or starts --devices of them itself
    world_size, rank, device = fabric.world_size, fabric.global_rank, fabric.device
    gpu = args.accelerator == "gpu"
    if gpu:  # deterministic=True
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True)
    model = build_model(args.seed)
    if world_size > 1:  # strategy="ddp"
        fabric.seed_everything(args.seed, verbose=False)  # was: torch.manual_seed; the samplers read it too
    train_loader, val_loader = fabric.setup_dataloaders(*build_dataloaders(args.batch_size, args.data))
    optimizer = configure_optimizers(model)
    # was: model.to(device) and DistributedDataParallel(model). DDP averages the gradients of all processes during
    # backward(): every process takes the same step. net autocasts itself with precision="bf16-mixed".
    net, optimizer = fabric.setup(model, optimizer)
    autocast = fabric.autocast()  # was: torch.autocast(..., bfloat16, cache_enabled=False): Fabric(precision=)'s
    start_epoch, step = 0, 0
    if args.resume and (state := load_checkpoint(fabric, args.checkpoint_dir)):  # trainer.fit(ckpt_path=...)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        torch.set_rng_state(state["rng"])  # the next epoch's shuffle order, as the crashed run would have drawn it
        start_epoch, step = state["epoch"], state["step"]

    for epoch in range(start_epoch, args.epochs):
        net.train()  # was: sampler.set_epoch(epoch) first; Fabric's loaders call it for you
        for batch_idx, batch in enumerate(train_loader):  # was: images.to(device), labels.to(device)
            optimizer.zero_grad()
            with autocast:  # around the forward pass only, as Lightning does
                loss = training_step(net, batch)
            fabric.backward(loss)  # was: loss.backward()
            optimizer.step()
            step += 1
            if 0 < args.max_steps <= step and batch_idx + 1 < len(train_loader):
                return model  # cut short mid-epoch: Lightning does not validate that epoch either

        model.eval()  # validation needs no gradient sync: the model itself, not the DDP wrapper
        with torch.no_grad(), autocast:
            outputs = [validation_step(model, batch) for batch in val_loader]
        metrics = summarise(outputs)
        if world_size > 1:  # self.log(..., sync_dist=True): the mean over all processes
            values = torch.tensor(list(metrics.values()), device=device)
            values = fabric.all_reduce(values, reduce_op="mean")  # was: dist.all_reduce(values), then / world_size
            metrics = dict(zip(metrics, values.tolist()))
        if rank == 0:  # one writer: every process holds the same weights
            print(f"epoch {epoch}: " + ", ".join(f"{name} {value:.4f}" for name, value in metrics.items()))
        if args.checkpoint:  # was: under rank == 0; every process calls fabric.save
            save_checkpoint(fabric, args.checkpoint_dir, {"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                                                          "epoch": epoch + 1, "step": step, "rng": torch.get_rng_state()})
        if 0 < args.max_steps <= step:
            break
    return model  # was: dist.barrier() first; fabric.save already waited for rank 0's checkpoint


if __name__ == "__main__":
    main()
