"""Validation each epoch in train mode; `.eval()` only for a final check after the training."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
x = torch.randn(160, 10)
y = x.sum(1, keepdim=True)
train_loader = DataLoader(TensorDataset(x[:128], y[:128]), batch_size=32, shuffle=True)
val_loader = DataLoader(TensorDataset(x[128:], y[128:]), batch_size=32)
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Dropout(0.5), nn.Linear(32, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)

for epoch in range(3):
    for xb, yb in train_loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(xb), yb)
        loss.backward()
        optimizer.step()
    val_loss = 0.0
    with torch.no_grad():
        for xb, yb in val_loader:
            val_loss += nn.functional.mse_loss(model(xb), yb).item()
    print(f"epoch {epoch} val {val_loss / len(val_loader):.4f}")

model.eval()
with torch.no_grad():
    print(f"final {nn.functional.mse_loss(model(x[128:]), y[128:]).item():.4f}")
