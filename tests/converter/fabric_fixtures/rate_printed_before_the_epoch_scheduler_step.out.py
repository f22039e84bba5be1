# t2l-fixture: verify --steps 30
"""The epoch's rate printed from `scheduler.get_last_lr()` before `scheduler.step()` (the usual order in tutorials)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
X = torch.randn(192, 6)
y = X @ torch.randn(6, 1)
loader = DataLoader(TensorDataset(X, y), batch_size=24, shuffle=True)
loader = fabric.setup_dataloaders(loader)
model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
model, optimizer = fabric.setup(model, optimizer)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)


for epoch in range(3):
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(xb), yb)
        fabric.backward(loss)
        optimizer.step()
    fabric.print(f"epoch {epoch}: loss {loss.item():.5f} lr {scheduler.get_last_lr()[0]:.4f}")
    scheduler.step()
