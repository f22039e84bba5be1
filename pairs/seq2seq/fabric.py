"""English -> French seq2seq, Lightning Fabric: plain.py's loop, clipping and LR schedule kept; Fabric does the rest.

    python -m pairs.seq2seq.fabric --epochs 3
    python -m pairs.seq2seq.fabric --precision bf16-mixed                 # Fabric(precision=...)
    torchrun --nproc-per-node 2 -m pairs.seq2seq.fabric --devices 2       # DDP (gloo on CPU, nccl on GPU)
    python -m pairs.seq2seq.fabric --checkpoint    (killed?)    ... --checkpoint --resume

Read it beside plain.py (`t2l show seq2seq --sides plain,fabric`, `sdiff -w 200 plain.py fabric.py`): only
the lines Fabric changes differ, each saying what it replaced.
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
def build_dataloaders(batch_size: int, data: str):
    train, val = translation.dataset("train", data), translation.dataset("val", data)  # (English, French) ids
    pad = translation.collate  # pads each batch to its longest sentence
    # was: DistributedSamplers with DDP; fabric.setup_dataloaders swaps them in, seeded by fabric.seed_everything.
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


def main(argv: list[str] | None = None) -> Seq2Seq:
    args = arguments.parse(argv, __doc__, epochs=6)
    # was: WORLD_SIZE, RANK and the device from torchrun's environment, init_process_group("gloo" or "nccl").
    fabric = Fabric(accelerator=args.accelerator, devices=args.devices, precision=args.precision,
                    strategy="ddp" if args.devices > 1 else "auto")  # fmt: skip
    fabric.launch()  # joins torchrun's processes, or starts --devices of them itself
    world_size, rank, device = fabric.world_size, fabric.global_rank, fabric.device
    gpu = args.accelerator == "gpu"
    if gpu:  # deterministic=True
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True)
    model = build_model(args.seed, args.data)
    if world_size > 1:  # strategy="ddp"
        fabric.seed_everything(args.seed, verbose=False)  # was: torch.manual_seed; the samplers read it too
    train_loader, val_loader = fabric.setup_dataloaders(*build_dataloaders(args.batch_size, args.data))
    optimizer, scheduler = configure_optimizers(model)
    # was: model.to(device) and DistributedDataParallel(model). DDP averages the gradients of all processes during
    # backward(): every process takes the same step. net autocasts itself with precision="bf16-mixed".
    net, optimizer = fabric.setup(model, optimizer)  # the scheduler needs no set-up
    # was: torch.autocast(..., bfloat16, cache_enabled=False). Fabric's autocast caches each weight's bfloat16 copy:
    # a weight used at every time step would sum its gradient in bfloat16, not float32, and the losses drift.
    torch.set_autocast_cache_enabled(False)
    autocast = fabric.autocast()
    start_epoch, step = 0, 0
    if args.resume and (state := load_checkpoint(fabric, args.checkpoint_dir)):  # trainer.fit(ckpt_path=...)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        torch.set_rng_state(state["rng"])  # the next epoch's shuffle order, as the crashed run would have drawn it
        start_epoch, step = state["epoch"], state["step"]

    for epoch in range(start_epoch, args.epochs):
        net.train()  # was: sampler.set_epoch(epoch) first; Fabric's loaders call it for you
        for batch_idx, batch in enumerate(train_loader):  # was: source.to(device), target.to(device)
            optimizer.zero_grad()
            with autocast:  # around the forward pass only, as Lightning does
                loss = training_step(net, batch)
            fabric.backward(loss)  # was: loss.backward()
            fabric.clip_gradients(net, optimizer, max_norm=CLIP_NORM)  # was: torch.nn.utils.clip_grad_norm_
            optimizer.step()
            step += 1
            if 0 < args.max_steps <= step and batch_idx + 1 < len(train_loader):
                return model  # cut short mid-epoch: Lightning does not validate that epoch either

        model.eval()  # validation needs no gradient sync: the model itself, not the DDP wrapper
        with torch.no_grad(), autocast:
            outputs = [validation_step(model, batch, args.data) for batch in val_loader]
        metrics = summarise(outputs)
        if world_size > 1:  # self.log(..., sync_dist=True): the mean over all processes
            values = torch.tensor(list(metrics.values()), device=device)
            values = fabric.all_reduce(values, reduce_op="mean")  # was: dist.all_reduce(values), then / world_size
            metrics = dict(zip(metrics, values.tolist()))
        scheduler.step()  # once per epoch, after validation: "interval": "epoch" in configure_optimizers
        if rank == 0:  # one writer: every process holds the same weights
            print(f"epoch {epoch}: " + ", ".join(f"{name} {value:.4f}" for name, value in metrics.items()))
        if args.checkpoint:  # was: under rank == 0; every process calls fabric.save
            save_checkpoint(fabric, args.checkpoint_dir, {"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                                                          "scheduler": scheduler.state_dict(), "epoch": epoch + 1, "step": step, "rng": torch.get_rng_state()})
        if 0 < args.max_steps <= step:
            break
    return model  # was: dist.barrier() first; fabric.save already waited for rank 0's checkpoint


if __name__ == "__main__":
    main()
