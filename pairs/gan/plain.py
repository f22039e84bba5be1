"""GAN on MNIST, plain PyTorch: two networks, two optimizers, the classic alternating loop.

    python -m pairs.gan.plain --epochs 3
    python -m pairs.gan.plain --precision bf16-mixed                 # torch.autocast
    torchrun --nproc-per-node 2 -m pairs.gan.plain --devices 2       # DDP (gloo on CPU, nccl on GPU)
    python -m pairs.gan.plain --checkpoint    (killed?)    ... --checkpoint --resume

Read it beside lightning.py (`t2l show gan`, `sdiff -w 200 plain.py lightning.py`): the sections have
the same names in the same order, and each block the Trainer replaces names the Trainer flag that does.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler

from pairs import arguments, checkpoints
from pairs.data import mnist
from pairs.gan.model import (
    BETAS,
    LATENT,
    LEARNING_RATE,
    Discriminator,
    Generator,
    adversarial_loss,
    fixed_noise,
    save_grid,
    summarise,
)


# --- Model -------------------------------------------------------------------------------------
def build_models(seed: int) -> tuple[Generator, Discriminator]:
    torch.manual_seed(seed)  # right before building: the same initial weights as pl.seed_everything
    return Generator(), Discriminator()


# --- Data --------------------------------------------------------------------------------------
def build_dataloaders(batch_size: int, data: str, seed: int, world_size: int, rank: int):
    splits = mnist.load(data)
    if world_size == 1:
        return DataLoader(splits.train, batch_size, shuffle=True), DataLoader(splits.val, batch_size)
    # strategy="ddp" swaps these samplers in for you: each process reads its own 1/world_size of the data.
    train_sampler = DistributedSampler(splits.train, world_size, rank, shuffle=True, seed=seed)
    val_sampler = DistributedSampler(splits.val, world_size, rank, shuffle=False)
    return (DataLoader(splits.train, batch_size, sampler=train_sampler),
            DataLoader(splits.val, batch_size, sampler=val_sampler))  # fmt: skip


# --- Optimizer ---------------------------------------------------------------------------------
def configure_optimizers(generator: Generator, discriminator: Discriminator):
    g_opt = torch.optim.Adam(generator.parameters(), lr=LEARNING_RATE, betas=BETAS)
    d_opt = torch.optim.Adam(discriminator.parameters(), lr=LEARNING_RATE, betas=BETAS)
    return g_opt, d_opt


# --- Training step -----------------------------------------------------------------------------
def training_step(generator, discriminator, g_opt, d_opt, batch) -> dict:
    real, _ = batch
    noise = torch.randn(len(real), LATENT, device=real.device)  # global RNG, same point on both sides
    fake = generator(noise)

    # Discriminator step: real digits -> 1, generated -> 0 (detach: no generator gradients here).
    d_opt.zero_grad()
    d_loss = adversarial_loss(discriminator(real), True) + adversarial_loss(discriminator(fake.detach()), False)
    d_loss.backward()
    d_opt.step()

    # Generator step: make the (just updated) discriminator call the fakes real.
    g_opt.zero_grad()
    g_loss = adversarial_loss(discriminator(fake), True)
    g_loss.backward()  # also leaves gradients on the discriminator; d_opt.zero_grad() clears them
    g_opt.step()
    return {"d_loss": d_loss, "g_loss": g_loss}


# --- Validation --------------------------------------------------------------------------------
def validation_step(generator, discriminator, batch, noise) -> dict:
    real, _ = batch
    fake = generator(noise[: len(real)])
    d_loss = adversarial_loss(discriminator(real), True) + adversarial_loss(discriminator(fake), False)
    g_loss = adversarial_loss(discriminator(fake), True)
    return {"d_loss": d_loss, "g_loss": g_loss, "count": len(real)}


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


def main(argv: list[str] | None = None) -> nn.ModuleDict:
    args = arguments.parse(argv, __doc__, epochs=15)
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
    generator, discriminator = build_models(args.seed)
    if world_size > 1:  # strategy="ddp"
        dist.init_process_group("nccl" if gpu else "gloo")
        torch.manual_seed(args.seed)  # Lightning re-seeds every process once it has joined the group
    models = nn.ModuleDict({"generator": generator, "discriminator": discriminator}).to(device)
    # DDP averages the gradients of all processes during backward(): every process takes the same step.
    g_net, d_net = (DistributedDataParallel(m) if world_size > 1 else m for m in (generator, discriminator))
    train_loader, val_loader = build_dataloaders(args.batch_size, args.data, args.seed, world_size, rank)
    g_opt, d_opt = configure_optimizers(generator, discriminator)
    noise = fixed_noise(max(args.batch_size, 64)).to(device)  # the same noise every epoch, for the sample grids
    # precision="bf16-mixed": matrix products in bfloat16, weights and optimizer state stay float32.
    # cache_enabled=False, as Lightning sets it: autocast caches each weight's bfloat16 copy for the whole region,
    # and the discriminator steps *inside* it: with the cache, the generator step would read stale weights.
    autocast = torch.autocast(device.type, torch.bfloat16, enabled=args.precision == "bf16-mixed", cache_enabled=False)
    start_epoch, step = 0, 0  # step counts optimizer steps, as Lightning's global_step does: two per batch
    if args.resume and (state := load_checkpoint(args.checkpoint_dir)):  # trainer.fit(ckpt_path=...)
        models.load_state_dict(state["model"])
        g_opt.load_state_dict(state["g_opt"])
        d_opt.load_state_dict(state["d_opt"])
        torch.set_rng_state(state["rng"])  # the next epoch's shuffle order, as the crashed run would have drawn it
        start_epoch, step = state["epoch"], state["step"]

    for epoch in range(start_epoch, args.epochs):
        if world_size > 1:
            train_loader.sampler.set_epoch(epoch)  # a new shuffle every epoch; Lightning calls it for you
        models.train()
        for batch_idx, (real, labels) in enumerate(train_loader):
            with autocast:  # around the whole step, as Lightning does in manual optimization
                training_step(g_net, d_net, g_opt, d_opt, (real.to(device), labels.to(device)))
            step += 2
            if 0 < args.max_steps <= step and batch_idx + 1 < len(train_loader):
                return models  # cut short mid-epoch: Lightning does not validate that epoch either

        models.eval()  # validation needs no gradient sync: the models themselves, not the DDP wrappers
        with torch.no_grad():
            outputs = []
            for real, labels in val_loader:
                with autocast:  # around the step only, as Lightning does
                    outputs.append(validation_step(generator, discriminator, (real.to(device), labels.to(device)), noise))
            if rank == 0:  # one writer: every process holds the same generator
                save_grid(generator(noise[:64]), args.root_dir / "samples" / f"epoch_{epoch}.png")
        metrics = summarise(outputs)
        if world_size > 1:  # self.log(..., sync_dist=True): the mean over all processes
            values = torch.tensor(list(metrics.values()), device=device)
            dist.all_reduce(values)
            metrics = dict(zip(metrics, (values / world_size).tolist()))
        if rank == 0:  # one writer: every process holds the same weights
            print(f"epoch {epoch}: " + ", ".join(f"{name} {value:.4f}" for name, value in metrics.items()))
            if args.checkpoint:
                save_checkpoint(args.checkpoint_dir, {"model": models.state_dict(), "g_opt": g_opt.state_dict(),
                                                      "d_opt": d_opt.state_dict(), "epoch": epoch + 1, "step": step, "rng": torch.get_rng_state()})
        if 0 < args.max_steps <= step:
            break
    if world_size > 1:
        dist.barrier()  # wait for rank 0's checkpoint before any process exits
    return models


if __name__ == "__main__":
    main()
