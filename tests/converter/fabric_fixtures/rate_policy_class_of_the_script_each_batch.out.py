# t2l-fixture: verify --steps 18
"""A warm-up + cosine rate policy written in the script (a class of its own, no torch LRScheduler), named `scheduler`
and stepped after the optimizer every batch."""
import math

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


class WarmupCosineSchedule:
    def __init__(self, optimizer, warmup_steps, total_steps, base_lr):
        self.optimizer = optimizer
        self.warmup_steps, self.total_steps, self.base_lr = warmup_steps, total_steps, base_lr
        self.step_num = 0

    def step(self):
        self.step_num += 1
        if self.step_num < self.warmup_steps:
            lr = self.base_lr * self.step_num / self.warmup_steps
        else:
            progress = (self.step_num - self.warmup_steps) / max(1, self.total_steps - self.warmup_steps)
            lr = self.base_lr * 0.5 * (1.0 + math.cos(math.pi * progress))
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        return lr


torch.manual_seed(0)
model = nn.Sequential(nn.Linear(6, 16), nn.GELU(), nn.Linear(16, 1))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
model, optimizer = fabric.setup(model, optimizer)
loader = DataLoader(TensorDataset(torch.randn(48, 6), torch.randn(48, 1)), batch_size=8, shuffle=True)
loader = fabric.setup_dataloaders(loader)
epochs = 3
scheduler = WarmupCosineSchedule(optimizer, warmup_steps=4, total_steps=epochs * len(loader), base_lr=1e-2)
for epoch in range(epochs):
    total = 0.0
    for x, y in loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        fabric.backward(loss)
        optimizer.step()
        scheduler.step()
        total += loss.item()
    fabric.print(f"epoch {epoch} loss {total / len(loader):.6f} lr {optimizer.param_groups[0]['lr']:.6f}")
