# t2l-fixture: verify --steps 30
"""The Annotated Transformer's training shape: one `run_epoch` for both modes (the evaluation calls it with dummy
optimizer and scheduler objects, so its def stays), a loss-compute object returning the loss and its node, a TrainState
dataclass counting steps, a step every `accum_iter` batches (manual optimization), a LambdaLR stepped every batch, and
`n_accum`, set to 0 by each call: counted per epoch, not the global step."""
import time
from dataclasses import dataclass

import torch
import torch.nn as nn
from torch.optim.lr_scheduler import LambdaLR
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


@dataclass
class TrainState:
    step: int = 0
    accum_step: int = 0
    samples: int = 0
    tokens: int = 0


class SimpleLossCompute:
    def __init__(self, generator, criterion):
        self.generator = generator
        self.criterion = criterion

    def __call__(self, x, y, norm):
        x = self.generator(x)
        sloss = self.criterion(x.contiguous().view(-1, x.size(-1)), y.contiguous().view(-1)) / norm
        return sloss.data * norm, sloss


class DummyOptimizer(torch.optim.Optimizer):
    def __init__(self):
        self.param_groups = [{"lr": 0}]

    def step(self):
        None

    def zero_grad(self, set_to_none=False):
        None


class DummyScheduler:
    def step(self):
        None


def rate(step, model_size, factor, warmup):
    if step == 0:
        step = 1
    return factor * (model_size ** (-0.5) * min(step ** (-0.5), step * warmup ** (-1.5)))


def run_epoch(data_iter, model, loss_compute, optimizer, scheduler, mode="train", accum_iter=1, train_state=TrainState()):
    start = time.time()
    total_tokens = 0
    total_loss = 0
    n_accum = 0
    for i, (src, tgt) in enumerate(data_iter):
        out = model(src)
        loss, loss_node = loss_compute(out, tgt, src.shape[0])
        if mode == "train" or mode == "train+log":
            fabric.backward(loss_node)
            train_state.step += 1
            train_state.samples += src.shape[0]
            if i % accum_iter == 0:
                optimizer.step()
                optimizer.zero_grad(set_to_none=True)
                n_accum += 1
                train_state.accum_step += 1
            scheduler.step()
        total_loss += loss
        total_tokens += src.shape[0]
        if i % 4 == 1 and (mode == "train" or mode == "train+log"):
            lr = optimizer.param_groups[0]["lr"]
            fabric.print(f"Epoch Step: {i:6d} | Accumulation Step: {n_accum:3d} | Loss: {loss / src.shape[0]:6.2f} | Learning Rate: {lr:6.1e}")
        del loss
        del loss_node
    return total_loss / total_tokens, train_state


torch.manual_seed(0)
V, D = 11, 16
data = torch.randint(1, V, (160, 6))
train_iter = DataLoader(TensorDataset(data, data), batch_size=16, shuffle=True)
train_iter = fabric.setup_dataloaders(train_iter)
valid_iter = DataLoader(TensorDataset(data[:48], data[:48]), batch_size=16)
valid_iter = fabric.setup_dataloaders(valid_iter)
model = nn.Sequential(nn.Embedding(V, D), nn.Linear(D, D), nn.ReLU())
generator = nn.Linear(D, V)
criterion = nn.CrossEntropyLoss(reduction="sum")
params = list(model.parameters()) + list(generator.parameters())
optimizer = torch.optim.Adam(params, lr=0.5, betas=(0.9, 0.98), eps=1e-9)
model = fabric.setup_module(model)
generator = fabric.setup_module(generator)
optimizer = fabric.setup_optimizers(optimizer)
lr_scheduler = LambdaLR(optimizer=optimizer, lr_lambda=lambda step: rate(step, model_size=D, factor=1.0, warmup=40))
for epoch in range(3):
    model.train()
    run_epoch(train_iter, model, SimpleLossCompute(generator, criterion), optimizer, lr_scheduler, mode="train")
    model.eval()
    fabric.print(run_epoch(valid_iter, model, SimpleLossCompute(generator, criterion), DummyOptimizer(), DummyScheduler(), mode="eval")[0])
