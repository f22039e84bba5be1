"""GAN on MNIST, Lightning Fabric: plain.py's alternating loop kept; one fabric.setup per model and its optimizer.

    python -m pairs.gan.fabric --epochs 3
    python -m pairs.gan.fabric --precision bf16-mixed                 # Fabric(precision=...)
    torchrun --nproc-per-node 2 -m pairs.gan.fabric --devices 2       # DDP (gloo on CPU, nccl on GPU)
    python -m pairs.gan.fabric --checkpoint    (killed?)    ... --checkpoint --resume

Read it beside plain.py (`t2l show gan --sides plain,fabric`, `sdiff -w 200 plain.py fabric.py`): only
the lines Fabric changes differ, each saying what it replaced.
"""

from __future__ import annotations

import os
from pathlib import Path

import torch
from lightning_fabric import Fabric
from torch import nn
from torch.utils.data import DataLoader

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
def build_dataloaders(batch_size: int, data: str):
    splits = mnist.load(data)
    # was: DistributedSamplers with DDP; fabric.setup_dataloaders swaps them in, seeded by fabric.seed_everything.
    return DataLoader(splits.train, batch_size, shuffle=True), DataLoader(splits.val, batch_size)


# --- Optimizer ---------------------------------------------------------------------------------
def configure_optimizers(generator: Generator, discriminator: Discriminator):
    g_opt = torch.optim.Adam(generator.parameters(), lr=LEARNING_RATE, betas=BETAS)
    d_opt = torch.optim.Adam(discriminator.parameters(), lr=LEARNING_RATE, betas=BETAS)
    return g_opt, d_opt


# --- Training step -----------------------------------------------------------------------------
def training_step(fabric, generator, discriminator, g_opt, d_opt, batch) -> dict:  # was: without fabric
    real, _ = batch
    noise = torch.randn(len(real), LATENT, device=real.device)  # global RNG, same point on both sides
    fake = generator(noise)

    # Discriminator step: real digits -> 1, generated -> 0 (detach: no generator gradients here).
    d_opt.zero_grad()
    d_loss = adversarial_loss(discriminator(real), True) + adversarial_loss(discriminator(fake.detach()), False)
    fabric.backward(d_loss)  # was: d_loss.backward()
    d_opt.step()

    # Generator step: make the (just updated) discriminator call the fakes real.
    g_opt.zero_grad()
    g_loss = adversarial_loss(discriminator(fake), True)
    fabric.backward(g_loss)  # was: g_loss.backward(); it also leaves gradients on the discriminator
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


def main(argv: list[str] | None = None) -> nn.ModuleDict:
    args = arguments.parse(argv, __doc__, epochs=15)
    # was: WORLD_SIZE, RANK and the device from torchrun's environment, init_process_group("gloo" or "nccl").
    fabric = Fabric(accelerator=args.accelerator, devices=args.devices, precision=args.precision,
                    strategy="ddp" if args.devices > 1 else "auto")  # fmt: skip
    fabric.launch()  # joins torchrun's processes, or starts --devices of them itself
    world_size, rank, device = fabric.world_size, fabric.global_rank, fabric.device
    gpu = args.accelerator == "gpu"
    if gpu:  # deterministic=True
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True)
    generator, discriminator = build_models(args.seed)
    if world_size > 1:  # strategy="ddp"
        fabric.seed_everything(args.seed, verbose=False)  # was: torch.manual_seed; the samplers read it too
    models = nn.ModuleDict({"generator": generator, "discriminator": discriminator})  # was: .to(device)
    train_loader, val_loader = fabric.setup_dataloaders(*build_dataloaders(args.batch_size, args.data))
    g_opt, d_opt = configure_optimizers(generator, discriminator)
    # was: DistributedDataParallel(m) for each model. DDP averages the gradients of all processes during
    # backward(): every process takes the same step. One fabric.setup per model and its optimizer.
    g_net, g_opt = fabric.setup(generator, g_opt)
    d_net, d_opt = fabric.setup(discriminator, d_opt)
    noise = fixed_noise(max(args.batch_size, 64)).to(device)  # the same noise every epoch, for the sample grids
    # was: torch.autocast(..., bfloat16, cache_enabled=False). Fabric's autocast caches each weight's bfloat16 copy
    # for the whole region, and the discriminator steps *inside* it: the generator step would read stale weights.
    torch.set_autocast_cache_enabled(False)
    autocast = fabric.autocast()
    start_epoch, step = 0, 0  # step counts optimizer steps, as Lightning's global_step does: two per batch
    if args.resume and (state := load_checkpoint(fabric, args.checkpoint_dir)):  # trainer.fit(ckpt_path=...)
        models.load_state_dict(state["model"])
        g_opt.load_state_dict(state["g_opt"])
        d_opt.load_state_dict(state["d_opt"])
        torch.set_rng_state(state["rng"])  # the next epoch's shuffle order, as the crashed run would have drawn it
        start_epoch, step = state["epoch"], state["step"]

    for epoch in range(start_epoch, args.epochs):
        models.train()  # was: sampler.set_epoch(epoch) first; Fabric's loaders call it for you
        for batch_idx, batch in enumerate(train_loader):  # was: real.to(device), labels.to(device)
            with autocast:  # around the whole step, as Lightning does in manual optimization
                training_step(fabric, g_net, d_net, g_opt, d_opt, batch)
            step += 2
            if 0 < args.max_steps <= step and batch_idx + 1 < len(train_loader):
                return models  # cut short mid-epoch: Lightning does not validate that epoch either

        models.eval()  # validation needs no gradient sync: the models themselves, not the DDP wrappers
        with torch.no_grad():
            outputs = []
            for batch in val_loader:  # was: real.to(device), labels.to(device)
                with autocast:  # around the step only, as Lightning does
                    outputs.append(validation_step(generator, discriminator, batch, noise))
            if rank == 0:  # one writer: every process holds the same generator
                save_grid(generator(noise[:64]), args.root_dir / "samples" / f"epoch_{epoch}.png")
        metrics = summarise(outputs)
        if world_size > 1:  # self.log(..., sync_dist=True): the mean over all processes
            values = torch.tensor(list(metrics.values()), device=device)
            values = fabric.all_reduce(values, reduce_op="mean")  # was: dist.all_reduce(values), then / world_size
            metrics = dict(zip(metrics, values.tolist()))
        if rank == 0:  # one writer: every process holds the same weights
            print(f"epoch {epoch}: " + ", ".join(f"{name} {value:.4f}" for name, value in metrics.items()))
        if args.checkpoint:  # was: under rank == 0; every process calls fabric.save
            save_checkpoint(fabric, args.checkpoint_dir, {"model": models.state_dict(), "g_opt": g_opt.state_dict(),
                                                          "d_opt": d_opt.state_dict(), "epoch": epoch + 1, "step": step, "rng": torch.get_rng_state()})
        if 0 < args.max_steps <= step:
            break
    return models  # was: dist.barrier() first; fabric.save already waited for rank 0's checkpoint


if __name__ == "__main__":
    main()
