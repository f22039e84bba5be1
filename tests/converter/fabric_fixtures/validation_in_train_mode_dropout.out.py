# t2l-fixture: verify --steps 12
"""A regression MLP with dropout, evaluated each epoch under no_grad but never switched to eval mode: the validation
loss is measured with dropout on (its draws from torch's RNG shift every later batch), as many quick scripts do."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
x = torch.randn(160, 10)
y = x.sum(1, keepdim=True)
train_loader = DataLoader(TensorDataset(x[:128], y[:128]), batch_size=32, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
val_loader = DataLoader(TensorDataset(x[128:], y[128:]), batch_size=32)
val_loader = fabric.setup_dataloaders(val_loader)
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
model, optimizer = fabric.setup(model, optimizer)

for epoch in range(3):
    for xb, yb in train_loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(xb), yb)
        fabric.backward(loss)
        optimizer.step()
    val_loss = 0.0
    with torch.no_grad():
        for xb, yb in val_loader:
            val_loss += nn.functional.mse_loss(model(xb), yb).item()
    fabric.print(f"epoch {epoch} val {val_loss / len(val_loader):.4f}")
