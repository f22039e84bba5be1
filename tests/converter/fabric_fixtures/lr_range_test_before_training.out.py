# t2l-fixture: verify --steps 60
"""An LR range test written by hand before the training, in the shape of the fast.ai-inspired blog posts: the rate
grows exponentially each batch (set in param_groups after the step), a smoothed loss is tracked, the sweep breaks
before the step once the loss explodes, and the weights are restored; the training then uses a tenth of the rate
with the lowest smoothed loss."""
import copy
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
X = torch.randn(512, 8)
Y = X @ torch.randn(8, 1) + 0.1 * torch.randn(512, 1)
loader = DataLoader(TensorDataset(X, Y), batch_size=16, shuffle=True)
loader = fabric.setup_dataloaders(loader)
model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 1))
criterion = nn.MSELoss()


def find_lr(model, loader, init_lr=1e-4, final_lr=10.0, beta=0.9):
    state = copy.deepcopy(model.state_dict())
    optimizer = torch.optim.SGD(model.parameters(), lr=init_lr)
    model, optimizer = fabric.setup(model, optimizer)
    mult = (final_lr / init_lr) ** (1 / (len(loader) - 1))
    avg_loss, best_loss = 0.0, float("inf")
    lrs, losses = [], []
    for batch_num, (xb, yb) in enumerate(loader, start=1):
        loss = criterion(model(xb), yb)
        avg_loss = beta * avg_loss + (1 - beta) * loss.item()
        smoothed = avg_loss / (1 - beta**batch_num)
        if batch_num > 1 and smoothed > 4 * best_loss:
            break
        best_loss = min(best_loss, smoothed)
        lrs.append(optimizer.param_groups[0]["lr"])
        losses.append(smoothed)
        optimizer.zero_grad()
        fabric.backward(loss)
        optimizer.step()
        optimizer.param_groups[0]["lr"] *= mult
    model.load_state_dict(state)
    return lrs, losses


lrs, losses = find_lr(model, loader)
best_lr = lrs[losses.index(min(losses))] / 10
fabric.print(f"swept {len(lrs)} of {len(loader)} rates; training at {best_lr:.3e}")

optimizer = torch.optim.SGD(model.parameters(), lr=best_lr, momentum=0.9)
optimizer = fabric.setup_optimizers(optimizer)
for epoch in range(3):
    running = 0.0
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        fabric.backward(loss)
        optimizer.step()
        running += loss.item()
    fabric.print(f"epoch {epoch} loss {running / len(loader):.5f} rmse {math.sqrt(running / len(loader)):.4f}")
