# t2l-fixture: verify --steps 30
"""Gradient accumulation over 3 batches, 10 batches an epoch: the last, partial window is stepped after the batch
loop (`if len(loader) % accumulation_steps != 0:`), and the epoch prints the last batch's divided loss."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(80, 5), torch.randn(80, 1)), batch_size=8, shuffle=True)
loader = fabric.setup_dataloaders(loader)
model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
model, optimizer = fabric.setup(model, optimizer)
accumulation_steps = 3
for epoch in range(3):
    optimizer.zero_grad()
    for i, (x, y) in enumerate(loader):
        with fabric.no_backward_sync(model, enabled=(i + 1) % accumulation_steps != 0):
            loss = nn.functional.mse_loss(model(x), y) / accumulation_steps
            fabric.backward(loss)
        if (i + 1) % accumulation_steps == 0:
            optimizer.step()
            optimizer.zero_grad()
    if len(loader) % accumulation_steps != 0:
        optimizer.step()
        optimizer.zero_grad()
    fabric.print(f"epoch {epoch} loss {loss.item() * accumulation_steps:.5f}")
