"""MNIST MLP, plain PyTorch: the classic hand-written loop.

Read it beside lightning.py (`t2l show mnist_mlp`): the sections have the same names in the same order.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader

from pairs import mnist
from pairs.config import RunConfig
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
    model = build_model(config)
    train_loader, val_loader = build_dataloaders(config)
    optimizer = configure_optimizer(model)
    step = 0
    for _epoch in range(config.epochs):
        model.train()
        for batch_idx, batch in enumerate(train_loader):
            optimizer.zero_grad()
            loss = training_step(model, batch)
            loss.backward()
            optimizer.step()
            recorder.train_step({"loss": loss})
            step += 1
            if step == config.max_steps and batch_idx + 1 < len(train_loader):
                return model  # cut short mid-epoch: Lightning does not validate that epoch either
        model.eval()
        with torch.no_grad():
            for batch in val_loader:
                recorder.val_batch(validation_step(model, batch))
        recorder.end_val_epoch()
        if step == config.max_steps:
            break
    return model
