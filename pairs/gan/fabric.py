"""GAN on MNIST, Lightning Fabric: plain.py's alternating loop kept, two models and two optimizers set up by Fabric.

    python -m pairs.gan.fabric --epochs 3
    python -m pairs.gan.fabric --precision bf16-mixed                 # Fabric(precision=...)
    torchrun --nproc-per-node 2 -m pairs.gan.fabric --devices 2       # Fabric(devices=2, strategy="ddp")
    python -m pairs.gan.fabric --checkpoint    (killed?)    ... --checkpoint --resume

Read it beside plain.py (`t2l show gan --sides plain,fabric`, `sdiff -w 200 plain.py fabric.py`): every
line Fabric changed says which plain line it replaces; everything else is plain.py as it was.
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
def build_dataloaders(batch_size: int, data: str):  # was: (..., seed, world_size, rank) and DistributedSamplers
    splits = mnist.load(data)
    # fabric.setup_dataloaders swaps the DistributedSamplers in, seeded by fabric.seed_everything's seed.
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


def main(argv: list[str] | None = None) -> nn.ModuleDict:
    args = arguments.parse(argv, __doc__, epochs=15)
    # Was: WORLD_SIZE/RANK from torchrun, the device, init_process_group("gloo"/"nccl"), deterministic algorithms.
    fabric = Fabric(accelerator=args.accelerator, devices=args.devices, precision=args.precision,
                    strategy="ddp" if args.devices > 1 else "auto")  # fmt: skip
    fabric.launch()  # under torchrun: joins the process group; alone with --devices 2: starts the processes
    if args.accelerator == "gpu":  # deterministic=True (Fabric has no such flag)
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True)
    # Fabric's autocast caches each weight's bfloat16 copy for the whole region (plain.py's and the Trainer's say
    # cache_enabled=False): the generator step would read the discriminator's weights from before its step.
    torch.set_autocast_cache_enabled(False)
    generator, discriminator = build_models(args.seed)
    if fabric.world_size > 1:
        fabric.seed_everything(args.seed, verbose=False)  # as plain.py re-seeds; the samplers read this seed too
    models = nn.ModuleDict({"generator": generator, "discriminator": discriminator})  # was: .to(device)
    g_opt, d_opt = configure_optimizers(generator, discriminator)
    # Was: DistributedDataParallel(m) for each model. One fabric.setup per model and its optimizer.
    generator, g_opt = fabric.setup(generator, g_opt)
    discriminator, d_opt = fabric.setup(discriminator, d_opt)
    train_loader, val_loader = fabric.setup_dataloaders(*build_dataloaders(args.batch_size, args.data))
    noise = fixed_noise(max(args.batch_size, 64)).to(fabric.device)  # the same noise every epoch, for the grids
    start_epoch, step = 0, 0  # step counts optimizer steps, as Lightning's global_step does: two per batch
    if args.resume and (state := load_checkpoint(fabric, args.checkpoint_dir)):
        models.load_state_dict(state["model"])
        g_opt.load_state_dict(state["g_opt"])
        d_opt.load_state_dict(state["d_opt"])
        torch.set_rng_state(state["rng"])  # the next epoch's shuffle order, as the crashed run would have drawn it
        start_epoch, step = state["epoch"], state["step"]

    for epoch in range(start_epoch, args.epochs):
        models.train()  # was: sampler.set_epoch(epoch) too; Fabric's loader calls it for you
        for batch_idx, batch in enumerate(train_loader):  # was: real.to(device), labels.to(device)
            with fabric.autocast():  # was: with autocast; a no-op unless precision="bf16-mixed"
                training_step(fabric, generator, discriminator, g_opt, d_opt, batch)
            step += 2
            if 0 < args.max_steps <= step and batch_idx + 1 < len(train_loader):
                return models  # cut short mid-epoch: Lightning does not validate that epoch either

        models.eval()
        with torch.no_grad():
            outputs = []
            for batch in val_loader:
                with fabric.autocast():
                    outputs.append(validation_step(generator, discriminator, batch, noise))
            if fabric.is_global_zero:  # was: rank == 0; .module: the bare model, as plain.py samples (no autocast)
                save_grid(generator.module(noise[:64]), args.root_dir / "samples" / f"epoch_{epoch}.png")
        metrics = summarise(outputs)
        if fabric.world_size > 1:  # was: dist.all_reduce(values), then values / world_size
            values = fabric.all_reduce(torch.tensor(list(metrics.values()), device=fabric.device), reduce_op="mean")
            metrics = dict(zip(metrics, values.tolist()))
        fabric.print(f"epoch {epoch}: " + ", ".join(f"{name} {value:.4f}" for name, value in metrics.items()))
        if args.checkpoint:  # was: inside `if rank == 0`; fabric.save must run on every process
            save_checkpoint(fabric, args.checkpoint_dir, {"model": models.state_dict(), "g_opt": g_opt.state_dict(),
                                                          "d_opt": d_opt.state_dict(), "epoch": epoch + 1, "step": step, "rng": torch.get_rng_state()})
        if 0 < args.max_steps <= step:
            break
    return models  # was: dist.barrier() first; fabric.save already waits for rank 0's checkpoint


if __name__ == "__main__":
    main()
