# t2l-fixture: verify --steps 24
"""An inline evaluation after the training in the epoch loop that reuses the training's total: `running_loss = 0.0`
again before it, printed after it (the validation keeps its own `val_running_loss`)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
x = torch.randn(120, 5)
y = (x.sum(1) > 0).long()
train_loader = DataLoader(TensorDataset(x[:96], y[:96]), batch_size=12, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
val_loader = DataLoader(TensorDataset(x[96:], y[96:]), batch_size=12)
val_loader = fabric.setup_dataloaders(val_loader)
model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 2))
criterion = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
model, opt = fabric.setup(model, opt)

for epoch in range(3):
    model.train()
    running_loss = 0.0
    for xb, yb in train_loader:
        opt.zero_grad()
        loss = criterion(model(xb), yb)
        fabric.backward(loss)
        opt.step()
        running_loss += loss.item()
    fabric.print(f"epoch {epoch} train loss {running_loss / len(train_loader):.4f}")
    model.eval()
    running_loss = 0.0
    with torch.no_grad():
        for xb, yb in val_loader:
            running_loss += criterion(model(xb), yb).item()
    fabric.print(f"epoch {epoch} val loss {running_loss / len(val_loader):.4f}")
