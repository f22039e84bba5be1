# t2l-fixture: verify --steps 24
"""Resume through helper functions that take the model, optimizer and scheduler (a shape of course repositories
and small projects): `load_checkpoint` restores their state and returns the epoch to start from."""
import os
import sys

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


def save_checkpoint(path, epoch, model, optimizer, scheduler):
    state = {"epoch": epoch, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
             "scheduler": scheduler.state_dict()}
    torch.save(state, path)


def load_checkpoint(path, model, optimizer, scheduler):
    if not os.path.exists(path):
        fabric.print("=> no checkpoint: training from scratch")
        return 0
    state = torch.load(path)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])
    return state["epoch"] + 1


epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 4
torch.manual_seed(5)
inputs = torch.randn(96, 4)
targets = inputs.pow(2).sum(1, keepdim=True)
loader = DataLoader(TensorDataset(inputs, targets), batch_size=16, shuffle=True)
loader = fabric.setup_dataloaders(loader)
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
model, optimizer = fabric.setup(model, optimizer)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
start_epoch = load_checkpoint("last.pt", model, optimizer, scheduler)
for epoch in range(start_epoch, epochs):
    total = 0.0
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(xb), yb)
        fabric.backward(loss)
        optimizer.step()
        total += loss.item()
    scheduler.step()
    fabric.print(f"epoch {epoch} loss {total / len(loader):.6f} lr {scheduler.get_last_lr()[0]:.6f}")
    save_checkpoint("last.pt", epoch, model, optimizer, scheduler)
