"""English -> French seq2seq, plain PyTorch: an inner loop over time steps, clipping, an LR schedule.

Read it beside lightning.py (`t2l show seq2seq`): the sections have the same names in the same order.
"""

from __future__ import annotations

import torch
from torch.utils.data import DataLoader

from pairs import checkpoints, translation
from pairs.config import RunConfig
from pairs.distributed import Distributed, autocast, deterministic, to_device
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
    deterministic(config)
    model = build(config)
    ddp = Distributed(config)  # one process per device (torchrun); a no-op with one
    ddp.reseed()
    model.to(ddp.device)
    net = ddp.wrap(model)  # DDP averages gradients across processes in backward()
    train_loader, val_loader = map(ddp.shard, build_dataloaders(config))
    optimizer, scheduler = configure_optimizer(model)
    stateful = {"model": model, "optimizer": optimizer, "scheduler": scheduler}  # what a checkpoint holds
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
            grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP_NORM)  # norm before clipping
            optimizer.step()
            recorder.train_step({"loss": loss, "grad_norm": grad_norm})
            step += 1
            if step == config.max_steps and batch_idx + 1 < len(train_loader):
                return model  # cut short mid-epoch: Lightning does not validate that epoch either
        model.eval()  # validation needs no gradient sync: the model itself, not the DDP wrapper
        with torch.no_grad(), autocast(config, ddp.device):
            for batch in val_loader:
                recorder.val_batch(validation_step(model, to_device(batch, ddp.device), config.data))
        recorder.end_val_epoch(ddp.mean_over_ranks)  # + the mean over ranks, what a person reads
        scheduler.step()  # once per epoch, after validation, as Lightning does for "interval": "epoch"
        if config.checkpoint and ddp.is_main:  # one writer; the other ranks hold the same weights
            checkpoints.save_training(config.checkpoint_dir, epoch + 1, step, **stateful)
        if step == config.max_steps:
            break
    ddp.close()
    return model
