"""English -> French seq2seq, Lightning Fabric: plain.py's loop, clipping and LR schedule kept; Fabric does the rest.

    python -m pairs.seq2seq.fabric --epochs 3
    python -m pairs.seq2seq.fabric --precision bf16-mixed                 # Fabric(precision=...)
    torchrun --nproc-per-node 2 -m pairs.seq2seq.fabric --devices 2       # Fabric(devices=2, strategy="ddp")
    python -m pairs.seq2seq.fabric --checkpoint    (killed?)    ... --checkpoint --resume

Read it beside plain.py (`t2l show seq2seq --sides plain,fabric`, `sdiff -w 200 plain.py fabric.py`): every
line Fabric changed says which plain line it replaces; everything else is plain.py as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

import torch
from lightning_fabric import Fabric
from torch.utils.data import DataLoader

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
def build_dataloaders(batch_size: int, data: str):  # was: (..., seed, world_size, rank) and DistributedSamplers
    train, val = translation.dataset("train", data), translation.dataset("val", data)  # (English, French) ids
    pad = translation.collate  # pads each batch to its longest sentence
    # fabric.setup_dataloaders swaps the DistributedSamplers in, seeded by fabric.seed_everything's seed.
    return DataLoader(train, batch_size, shuffle=True, collate_fn=pad), DataLoader(val, batch_size, collate_fn=pad)


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


def main(argv: list[str] | None = None) -> Seq2Seq:
    args = arguments.parse(argv, __doc__, epochs=6)
    # Was: WORLD_SIZE/RANK from torchrun, the device, init_process_group("gloo"/"nccl"), deterministic algorithms.
    fabric = Fabric(accelerator=args.accelerator, devices=args.devices, precision=args.precision,
                    strategy="ddp" if args.devices > 1 else "auto")  # fmt: skip
    fabric.launch()  # under torchrun: joins the process group; alone with --devices 2: starts the processes
    if args.accelerator == "gpu":  # deterministic=True (Fabric has no such flag)
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True)
    # Fabric's autocast caches each weight's bfloat16 copy (plain.py's and the Trainer's say cache_enabled=False):
    # a weight used at every time step would then sum its gradient in bfloat16, not float32, and the losses drift.
    torch.set_autocast_cache_enabled(False)
    model = build_model(args.seed, args.data)
    if fabric.world_size > 1:
        fabric.seed_everything(args.seed, verbose=False)  # as plain.py re-seeds; the samplers read this seed too
    optimizer, scheduler = configure_optimizers(model)
    # Was: model.to(device) and DistributedDataParallel(model). Fabric moves, wraps and, with precision=
    # "bf16-mixed", autocasts every model(...) call; the scheduler needs no setup.
    model, optimizer = fabric.setup(model, optimizer)
    model.mark_forward_method("greedy")  # a method other than forward: through DDP and autocast like forward
    train_loader, val_loader = fabric.setup_dataloaders(*build_dataloaders(args.batch_size, args.data))
    start_epoch, step = 0, 0
    if args.resume and (state := load_checkpoint(fabric, args.checkpoint_dir)):
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["rng"])  # the next epoch's shuffle order, as the crashed run would have drawn it
        start_epoch, step = state["epoch"], state["step"]

    for epoch in range(start_epoch, args.epochs):
        model.train()  # was: sampler.set_epoch(epoch) too; Fabric's loader calls it for you
        for batch_idx, batch in enumerate(train_loader):  # was: source.to(device), target.to(device)
            optimizer.zero_grad()
            with fabric.autocast():  # was: with autocast; a no-op unless precision="bf16-mixed"
                loss = training_step(model, batch)
            fabric.backward(loss)  # was: loss.backward()
            fabric.clip_gradients(model, optimizer, max_norm=CLIP_NORM)  # was: torch.nn.utils.clip_grad_norm_
            optimizer.step()
            step += 1
            if 0 < args.max_steps <= step and batch_idx + 1 < len(train_loader):
                return model  # cut short mid-epoch: Lightning does not validate that epoch either

        model.eval()
        with torch.no_grad(), fabric.autocast():
            outputs = [validation_step(model, batch, args.data) for batch in val_loader]
        metrics = summarise(outputs)
        if fabric.world_size > 1:  # was: dist.all_reduce(values), then values / world_size
            values = fabric.all_reduce(torch.tensor(list(metrics.values()), device=fabric.device), reduce_op="mean")
            metrics = dict(zip(metrics, values.tolist()))
        scheduler.step()  # once per epoch, after validation: "interval": "epoch" in configure_optimizers
        fabric.print(f"epoch {epoch}: " + ", ".join(f"{name} {value:.4f}" for name, value in metrics.items()))
        if args.checkpoint:  # was: inside `if rank == 0`; fabric.save must run on every process
            save_checkpoint(fabric, args.checkpoint_dir, {"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                                                          "scheduler": scheduler.state_dict(), "epoch": epoch + 1, "step": step, "rng": torch.get_rng_state()})
        if 0 < args.max_steps <= step:
            break
    return model  # was: dist.barrier() first; fabric.save already waits for rank 0's checkpoint


if __name__ == "__main__":
    main()
