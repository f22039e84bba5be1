"""MNIST MLP, Lightning Fabric: plain.py's loop kept, with Fabric doing devices, processes, precision, checkpoints.

    python -m pairs.mnist_mlp.fabric --epochs 3
    python -m pairs.mnist_mlp.fabric --precision bf16-mixed                 # Fabric(precision=...)
    torchrun --nproc-per-node 2 -m pairs.mnist_mlp.fabric --devices 2       # Fabric(devices=2, strategy="ddp")
    python -m pairs.mnist_mlp.fabric --checkpoint    (killed?)    ... --checkpoint --resume

Read it beside plain.py (`t2l show mnist_mlp --sides plain,fabric`, `sdiff -w 200 plain.py fabric.py`): every
line Fabric changed says which plain line it replaces; everything else is plain.py as it was.
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
def build_dataloaders(batch_size: int, data: str):  # was: (..., seed, world_size, rank) and DistributedSamplers
    splits = mnist.load(data)
    # fabric.setup_dataloaders swaps the DistributedSamplers in, seeded by fabric.seed_everything's seed.
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
    """As plain.py's, but every process calls it: fabric.save writes on rank 0, the others wait for it."""
    temporary = directory / "last.pt.tmp"
    fabric.save(temporary, checkpoints.seal(state))  # was: torch.save(...) to an open file; seal: ours
    if fabric.is_global_zero:  # was: the caller's `if rank == 0`
        checkpoints.fsync_file(temporary)  # on disk before the rename, not only in the page cache
        checkpoints.keep_previous(directory)  # ours: last.pt -> previous.pt, the fallback if last.pt is damaged
        os.replace(temporary, directory / "last.pt")  # atomic: readers see the old file or the new one, never half
        checkpoints.fsync_directory(directory)
    fabric.barrier()  # no process reads last.pt before it is in place


def load_checkpoint(fabric: Fabric, directory: Path) -> dict | None:
    """fabric.load on every process; weights_only=True: loading cannot run code hidden in the pickle."""
    return checkpoints.newest_readable(directory, lambda path: fabric.load(path, weights_only=True))  # was: torch.load


def main(argv: list[str] | None = None) -> MLP:
    args = arguments.parse(argv, __doc__, epochs=3)
    # Was: WORLD_SIZE/RANK from torchrun, the device, init_process_group("gloo"/"nccl"), deterministic algorithms.
    fabric = Fabric(accelerator=args.accelerator, devices=args.devices, precision=args.precision,
                    strategy="ddp" if args.devices > 1 else "auto")  # fmt: skip
    fabric.launch()  # under torchrun: joins the process group; alone with --devices 2: starts the processes
    if args.accelerator == "gpu":  # deterministic=True (Fabric has no such flag)
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True)
    model = build_model(args.seed)
    if fabric.world_size > 1:
        fabric.seed_everything(args.seed, verbose=False)  # as plain.py re-seeds; the samplers read this seed too
    optimizer = configure_optimizers(model)
    # Was: model.to(device) and DistributedDataParallel(model). Fabric moves, wraps and, with precision=
    # "bf16-mixed", autocasts every model(...) call; optimizer.step() stays as it is.
    model, optimizer = fabric.setup(model, optimizer)
    train_loader, val_loader = fabric.setup_dataloaders(*build_dataloaders(args.batch_size, args.data))
    start_epoch, step = 0, 0
    if args.resume and (state := load_checkpoint(fabric, args.checkpoint_dir)):
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        torch.set_rng_state(state["rng"])  # the next epoch's shuffle order, as the crashed run would have drawn it
        start_epoch, step = state["epoch"], state["step"]

    for epoch in range(start_epoch, args.epochs):
        model.train()  # was: sampler.set_epoch(epoch) too; Fabric's loader calls it for you
        for batch_idx, batch in enumerate(train_loader):  # was: images.to(device), labels.to(device)
            optimizer.zero_grad()
            with fabric.autocast():  # was: with autocast; a no-op unless precision="bf16-mixed"
                loss = training_step(model, batch)
            fabric.backward(loss)  # was: loss.backward()
            optimizer.step()
            step += 1
            if 0 < args.max_steps <= step and batch_idx + 1 < len(train_loader):
                return model  # cut short mid-epoch: Lightning does not validate that epoch either

        model.eval()
        with torch.no_grad(), fabric.autocast():
            outputs = [validation_step(model, batch) for batch in val_loader]
        metrics = summarise(outputs)
        if fabric.world_size > 1:  # was: dist.all_reduce(values), then values / world_size
            values = fabric.all_reduce(torch.tensor(list(metrics.values()), device=fabric.device), reduce_op="mean")
            metrics = dict(zip(metrics, values.tolist()))
        fabric.print(f"epoch {epoch}: " + ", ".join(f"{name} {value:.4f}" for name, value in metrics.items()))
        if args.checkpoint:  # was: inside `if rank == 0`; fabric.save must run on every process
            save_checkpoint(fabric, args.checkpoint_dir, {"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                                                          "epoch": epoch + 1, "step": step, "rng": torch.get_rng_state()})
        if 0 < args.max_steps <= step:
            break
    return model  # was: dist.barrier() first; fabric.save already waits for rank 0's checkpoint


if __name__ == "__main__":
    main()
