"""English -> French seq2seq, plain PyTorch: an inner loop over time steps, clipping, an LR schedule.

Read it beside lightning.py (`t2l show seq2seq`): the sections have the same names in the same order.
"""

from __future__ import annotations

import torch
from torch.utils.data import DataLoader

from pairs import translation
from pairs.config import RunConfig
from pairs.record import Recorder
from pairs.seq2seq.model import CLIP_NORM, LEARNING_RATE, LR_DECAY, Seq2Seq, build_model, sequence_loss, texts


# --- Model -------------------------------------------------------------------------------------
def build(config: RunConfig) -> Seq2Seq:
    torch.manual_seed(config.seed)  # seed right before building: same initial weights on both sides
    return build_model(config.data)


# --- Data --------------------------------------------------------------------------------------
def build_dataloaders(config: RunConfig) -> tuple[DataLoader, DataLoader]:
    return (
        translation.dataloader("train", config.batch_size, config.data),
        translation.dataloader("val", config.batch_size, config.data),
    )


# --- Optimizer ---------------------------------------------------------------------------------
def configure_optimizer(model: Seq2Seq):
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
def fit(config: RunConfig, recorder: Recorder) -> Seq2Seq:
    model = build(config)
    train_loader, val_loader = build_dataloaders(config)
    optimizer, scheduler = configure_optimizer(model)
    step = 0
    for _epoch in range(config.epochs):
        model.train()
        for batch_idx, batch in enumerate(train_loader):
            optimizer.zero_grad()
            loss = training_step(model, batch)
            loss.backward()
            grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP_NORM)  # norm before clipping
            optimizer.step()
            recorder.train_step({"loss": loss, "grad_norm": grad_norm})
            step += 1
            if step == config.max_steps and batch_idx + 1 < len(train_loader):
                return model  # cut short mid-epoch: Lightning does not validate that epoch either
        model.eval()
        with torch.no_grad():
            for batch in val_loader:
                recorder.val_batch(validation_step(model, batch, config.data))
        recorder.end_val_epoch()
        scheduler.step()  # once per epoch, after validation, as Lightning does for "interval": "epoch"
        if step == config.max_steps:
            break
    return model
