"""MNIST MLP, plain PyTorch: the classic hand-written loop.

Read it beside lightning.py (`t2l show mnist_mlp`): the sections have the same names in the same order.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader

from pairs import checkpoints, mnist
from pairs.config import RunConfig
from pairs.distributed import Distributed, autocast, deterministic, to_device
from pairs.mnist_mlp.model import LEARNING_RATE, MLP
from pairs.record import Recorder


# --- Model -------------------------------------------------------------------------------------
def build_model(config: RunConfig) -> MLP:
    torch.manual_seed(config.seed)  # seed right before building: same initial weights on both sides
    return MLP()


# --- Data --------------------------------------------------------------------------------------
def build_dataloaders(config: RunConfig) -> tuple[DataLoader, DataLoader]:
    return (
        mnist.dataloader("train", config.batch_size, config.data),
        mnist.dataloader("val", config.batch_size, config.data),
    )


# --- Optimizer ---------------------------------------------------------------------------------
def configure_optimizer(model: MLP) -> torch.optim.Optimizer:
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
def fit(config: RunConfig, recorder: Recorder) -> MLP:
    deterministic(config)
    model = build_model(config)
    ddp = Distributed(config)  # one process per device (torchrun); a no-op with one
    ddp.reseed()
    model.to(ddp.device)
    net = ddp.wrap(model)  # DDP averages gradients across processes in backward()
    train_loader, val_loader = map(ddp.shard, build_dataloaders(config))
    optimizer = configure_optimizer(model)
    stateful = {"model": model, "optimizer": optimizer}  # what a checkpoint holds
    start_epoch, step = checkpoints.resume_training(config.checkpoint_dir, **stateful) if config.resume else (0, 0)
    for epoch in range(start_epoch, config.epochs):
        ddp.set_epoch(train_loader, epoch)
        net.train()
        for batch_idx, batch in enumerate(train_loader):
            batch = to_device(batch, ddp.device)
            optimizer.zero_grad()
            with autocast(config, ddp.device):
                loss = training_step(net, batch)
            loss.backward()
            optimizer.step()
            recorder.train_step({"loss": loss})
            step += 1
            if step == config.max_steps and batch_idx + 1 < len(train_loader):
                return model  # cut short mid-epoch: Lightning does not validate that epoch either
        model.eval()  # validation needs no gradient sync: the model itself, not the DDP wrapper
        with torch.no_grad(), autocast(config, ddp.device):
            for batch in val_loader:
                recorder.val_batch(validation_step(model, to_device(batch, ddp.device)))
        recorder.end_val_epoch(ddp.mean_over_ranks)  # + the mean over ranks, what a person reads
        if config.checkpoint and ddp.is_main:  # one writer; the other ranks hold the same weights
            checkpoints.save_training(config.checkpoint_dir, epoch + 1, step, **stateful)
        if step == config.max_steps:
            break
    ddp.close()
    return model
