"""English -> French seq2seq, plain PyTorch: an inner loop over time steps, clipping, an LR schedule.

    python -m pairs.seq2seq.plain --epochs 3
    python -m pairs.seq2seq.plain --precision bf16-mixed                 # torch.autocast
    torchrun --nproc-per-node 2 -m pairs.seq2seq.plain --devices 2       # DDP (gloo on CPU, nccl on GPU)
    python -m pairs.seq2seq.plain --checkpoint    (killed?)    ... --checkpoint --resume

Read it beside lightning.py (`t2l show seq2seq`, `sdiff -w 200 plain.py lightning.py`): the sections have
the same names in the same order, and each block the Trainer replaces names the Trainer flag that does.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler

from pairs import arguments, checkpoints
from pairs.data import translation
from pairs.seq2seq.model import (
    CLIP_NORM,
    LEARNING_RATE,
    LR_DECAY,
    Seq2Seq,
    sequence_loss,
    summarise,
    texts,
)


# --- Model -------------------------------------------------------------------------------------
def build_model(seed: int, data: str) -> Seq2Seq:
    torch.manual_seed(seed)  # right before building: the same initial weights as pl.seed_everything
    return Seq2Seq.for_corpus(data)


# --- Data --------------------------------------------------------------------------------------
def build_dataloaders(batch_size: int, data: str, seed: int, world_size: int, rank: int):
    train, val = translation.dataset("train", data), translation.dataset("val", data)  # (English, French) ids
    pad = translation.collate  # pads each batch to its longest sentence
    if world_size == 1:
        return DataLoader(train, batch_size, shuffle=True, collate_fn=pad), DataLoader(val, batch_size, collate_fn=pad)
    # strategy="ddp" swaps these samplers in for you: each process reads its own 1/world_size of the data.
    train_sampler = DistributedSampler(train, world_size, rank, shuffle=True, seed=seed)
    val_sampler = DistributedSampler(val, world_size, rank, shuffle=False)
    return (DataLoader(train, batch_size, sampler=train_sampler, collate_fn=pad),
            DataLoader(val, batch_size, sampler=val_sampler, collate_fn=pad))  # fmt: skip


# --- Optimizer ---------------------------------------------------------------------------------
def configure_optimizers(model: Seq2Seq):
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=LR_DECAY)
    return optimizer, scheduler


# --- Training step -----------------------------------------------------------------------------
def training_step(model: Seq2Seq, batch: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
    source, target = batch  # (B, S), (B, T)
    return sequence_loss(model(source, target), target)  # the time-step loop is inside model()


# --- Validation --------------------------------------------------------------------------------
def validation_step(model: Seq2Seq, batch: tuple[torch.Tensor, torch.Tensor], data: str) -> dict:
    source, target = batch
    loss = sequence_loss(model(source, target), target)
    return {
        "loss": loss,
        "tokens": int((target != translation.PAD).sum()),
        "hypotheses": texts(model.greedy(source), data),
        "references": texts(target, data),
    }


# --- Fit loop ----------------------------------------------------------------------------------
def save_checkpoint(directory: Path, state: dict) -> None:
    """ModelCheckpoint(save_last=True) by hand, so that a crash mid-write cannot destroy the last good one."""
    directory.mkdir(parents=True, exist_ok=True)
    temporary = directory / "last.pt.tmp"
    with open(temporary, "wb") as file:
        torch.save(checkpoints.seal(state), file)  # seal: ours, a SHA-256 of the tensors checked on load
        file.flush()
        os.fsync(file.fileno())  # on disk before the rename, not only in the page cache
    checkpoints.keep_previous(directory)  # ours: last.pt -> previous.pt, the fallback if last.pt is damaged
    os.replace(temporary, directory / "last.pt")  # atomic: readers see the old file or the new one, never half
    checkpoints.fsync_directory(directory)


def load_checkpoint(directory: Path) -> dict | None:
    """trainer.fit(ckpt_path=...) by hand; weights_only=True: loading cannot run code hidden in the pickle."""
    return checkpoints.newest_readable(directory, lambda path: torch.load(path, "cpu", weights_only=True))


def main(argv: list[str] | None = None) -> Seq2Seq:
    args = arguments.parse(argv, __doc__, epochs=6)
    # accelerator= / devices=: torchrun starts one process per device and tells each where it stands.
    world_size, rank = int(os.environ.get("WORLD_SIZE", 1)), int(os.environ.get("RANK", 0))
    if int(os.environ.get("LOCAL_WORLD_SIZE", 1)) != args.devices:  # processes on this machine
        sys.exit(f"--devices {args.devices}: start the processes with torchrun --nproc-per-node {args.devices}")
    gpu = args.accelerator == "gpu"
    device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", 0))) if gpu else torch.device("cpu")
    if gpu:  # deterministic=True
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True)
        torch.cuda.set_device(device)
    model = build_model(args.seed, args.data)
    if world_size > 1:  # strategy="ddp"
        dist.init_process_group("nccl" if gpu else "gloo")
        torch.manual_seed(args.seed)  # Lightning re-seeds every process once it has joined the group
    model.to(device)
    # DDP averages the gradients of all processes during backward(): every process takes the same step.
    net = DistributedDataParallel(model) if world_size > 1 else model
    train_loader, val_loader = build_dataloaders(args.batch_size, args.data, args.seed, world_size, rank)
    optimizer, scheduler = configure_optimizers(model)
    # precision="bf16-mixed": matrix products in bfloat16, weights and optimizer state stay float32.
    # cache_enabled=False, as Lightning sets it (see the gan pair for the step it matters in).
    autocast = torch.autocast(device.type, torch.bfloat16, enabled=args.precision == "bf16-mixed", cache_enabled=False)
    start_epoch, step = 0, 0
    if args.resume and (state := load_checkpoint(args.checkpoint_dir)):  # trainer.fit(ckpt_path=...)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["rng"])  # the next epoch's shuffle order, as the crashed run would have drawn it
        start_epoch, step = state["epoch"], state["step"]

    for epoch in range(start_epoch, args.epochs):
        if world_size > 1:
            train_loader.sampler.set_epoch(epoch)  # a new shuffle every epoch; Lightning calls it for you
        net.train()
        for batch_idx, (source, target) in enumerate(train_loader):
            batch = source.to(device), target.to(device)
            optimizer.zero_grad()
            with autocast:  # around the forward pass only, as Lightning does
                loss = training_step(net, batch)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP_NORM)  # gradient_clip_val=CLIP_NORM
            optimizer.step()
            step += 1
            if 0 < args.max_steps <= step and batch_idx + 1 < len(train_loader):
                return model  # cut short mid-epoch: Lightning does not validate that epoch either

        model.eval()  # validation needs no gradient sync: the model itself, not the DDP wrapper
        with torch.no_grad(), autocast:
            outputs = [validation_step(model, (source.to(device), target.to(device)), args.data)
                       for source, target in val_loader]  # fmt: skip
        metrics = summarise(outputs)
        if world_size > 1:  # self.log(..., sync_dist=True): the mean over all processes
            values = torch.tensor(list(metrics.values()), device=device)
            dist.all_reduce(values)
            metrics = dict(zip(metrics, (values / world_size).tolist()))
        scheduler.step()  # once per epoch, after validation: "interval": "epoch" in configure_optimizers
        if rank == 0:  # one writer: every process holds the same weights
            print(f"epoch {epoch}: " + ", ".join(f"{name} {value:.4f}" for name, value in metrics.items()))
            if args.checkpoint:
                save_checkpoint(args.checkpoint_dir, {"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                                                      "scheduler": scheduler.state_dict(), "epoch": epoch + 1, "step": step, "rng": torch.get_rng_state()})
        if 0 < args.max_steps <= step:
            break
    if world_size > 1:
        dist.barrier()  # wait for rank 0's checkpoint before any process exits
    return model


if __name__ == "__main__":
    main()
