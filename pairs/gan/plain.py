"""GAN on MNIST, plain PyTorch: two networks, two optimizers, the classic alternating loop.

Read it beside lightning.py (`t2l show gan`): the sections have the same names in the same order.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.utils.data import DataLoader

from pairs import checkpoints, mnist
from pairs.config import RunConfig
from pairs.distributed import Distributed, autocast, deterministic, to_device
from pairs.gan.model import (
    BETAS,
    LATENT,
    LEARNING_RATE,
    Discriminator,
    Generator,
    adversarial_loss,
    fixed_noise,
    save_grid,
)
from pairs.record import Recorder


# --- Model -------------------------------------------------------------------------------------
def build_models(config: RunConfig) -> tuple[Generator, Discriminator]:
    torch.manual_seed(config.seed)  # seed right before building: same initial weights on both sides
    return Generator(), Discriminator()


# --- Data --------------------------------------------------------------------------------------
def build_dataloaders(config: RunConfig) -> tuple[DataLoader, DataLoader]:
    return (
        mnist.dataloader("train", config.batch_size, config.data),
        mnist.dataloader("val", config.batch_size, config.data),
    )


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
def fit(config: RunConfig, recorder: Recorder) -> nn.Module:
    deterministic(config)
    generator, discriminator = build_models(config)
    ddp = Distributed(config)  # one process per device (torchrun); a no-op with one
    ddp.reseed()
    models = nn.ModuleDict({"generator": generator, "discriminator": discriminator}).to(ddp.device)
    g_net, d_net = ddp.wrap(generator), ddp.wrap(discriminator)  # DDP averages gradients in backward()
    train_loader, val_loader = map(ddp.shard, build_dataloaders(config))
    g_opt, d_opt = configure_optimizers(generator, discriminator)
    noise = fixed_noise(max(config.batch_size, 64)).to(ddp.device)
    stateful = {"model": models, "g_opt": g_opt, "d_opt": d_opt}  # what a checkpoint holds
    # step counts optimizer steps, as Lightning's global_step does: two per batch
    start_epoch, step = checkpoints.resume_training(config.checkpoint_dir, **stateful) if config.resume else (0, 0)
    for epoch in range(start_epoch, config.epochs):
        ddp.set_epoch(train_loader, epoch)
        models.train()
        for batch_idx, batch in enumerate(train_loader):
            with autocast(config, ddp.device):
                outputs = training_step(g_net, d_net, g_opt, d_opt, to_device(batch, ddp.device))
            recorder.train_step(outputs)
            step += 2
            if step >= config.max_steps > 0 and batch_idx + 1 < len(train_loader):
                return models
        models.eval()  # validation needs no gradient sync: the models themselves, not the DDP wrappers
        with torch.no_grad():
            for batch in val_loader:
                with autocast(config, ddp.device):  # around the step only, as Lightning does
                    recorder.val_batch(validation_step(generator, discriminator, to_device(batch, ddp.device), noise))
            if ddp.is_main:  # one writer: every rank holds the same generator
                save_grid(generator(noise[:64]), config.root_dir / "samples" / f"epoch_{epoch}.png")
        recorder.end_val_epoch(ddp.mean_over_ranks)  # + the mean over ranks, what a person reads
        if config.checkpoint and ddp.is_main:  # one writer; the other ranks hold the same weights
            checkpoints.save_training(config.checkpoint_dir, epoch + 1, step, **stateful)
        if step >= config.max_steps > 0:
            break
    ddp.close()
    return models
