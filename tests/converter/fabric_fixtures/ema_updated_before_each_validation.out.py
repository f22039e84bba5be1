# t2l-fixture: verify --steps 30
"""An exponential moving average of the weights updated once an epoch, after the training and before that epoch's
validation, which evaluates the averaged model."""
import copy

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
x = torch.randn(160, 6)
y = x @ torch.randn(6, 1)
train_loader = DataLoader(TensorDataset(x[:128], y[:128]), batch_size=32, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
val_loader = DataLoader(TensorDataset(x[128:], y[128:]), batch_size=32)
val_loader = fabric.setup_dataloaders(val_loader)
model = nn.Linear(6, 1)
ema_model = copy.deepcopy(model)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)

for epoch in range(3):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(xb), yb)
        fabric.backward(loss)
        optimizer.step()
    with torch.no_grad():
        for p_ema, p in zip(ema_model.parameters(), model.parameters()):
            p_ema.mul_(0.5).add_(p, alpha=0.5)
    ema_model.eval()
    total = 0.0
    with torch.no_grad():
        for xb, yb in val_loader:
            total += nn.functional.mse_loss(ema_model(xb), yb).item()
    fabric.print(f"epoch {epoch} ema val {total / len(val_loader):.5f}")
