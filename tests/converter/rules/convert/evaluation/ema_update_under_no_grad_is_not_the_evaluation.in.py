"""EMA of the weights updated once an epoch, before the epoch's validation of the EMA model."""
import copy

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
x = torch.randn(160, 6)
y = x @ torch.randn(6, 1)
train_loader = DataLoader(TensorDataset(x[:128], y[:128]), batch_size=32, shuffle=True)
val_loader = DataLoader(TensorDataset(x[128:], y[128:]), batch_size=32)
model = nn.Linear(6, 1)
ema_model = copy.deepcopy(model)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

for epoch in range(3):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(xb), yb)
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        for p_ema, p in zip(ema_model.parameters(), model.parameters()):
            p_ema.mul_(0.5).add_(p, alpha=0.5)
    ema_model.eval()
    total = 0.0
    with torch.no_grad():
        for xb, yb in val_loader:
            total += nn.functional.mse_loss(ema_model(xb), yb).item()
    print(f"epoch {epoch} ema val {total / len(val_loader):.5f}")
