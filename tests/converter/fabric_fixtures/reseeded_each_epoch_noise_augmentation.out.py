# t2l-fixture: verify --steps 30
"""Reproducible epochs: torch reseeded at each epoch's start (`seed + epoch`), so each epoch's shuffle and its
noise augmentation are the same whatever ran before; a shuffling DataLoader built once."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

SEED = 7


def seed_everything(seed):
    torch.manual_seed(seed)


x = torch.randn(200, 6)
y = x @ torch.randn(6, 1)
dataset = TensorDataset(x, y)
loader = DataLoader(dataset, batch_size=25, shuffle=True)
loader = fabric.setup_dataloaders(loader)
model = nn.Sequential(nn.Linear(6, 16), nn.Tanh(), nn.Linear(16, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
model, optimizer = fabric.setup(model, optimizer)

for epoch in range(4):
    seed_everything(SEED + epoch)
    total = 0.0
    for xb, yb in loader:
        xb = xb + 0.05 * torch.randn_like(xb)  # noise augmentation
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(xb), yb)
        fabric.backward(loss)
        optimizer.step()
        total += loss.item() * len(xb)
    fabric.print(f"epoch {epoch}: loss {total / len(dataset):.5f}")
