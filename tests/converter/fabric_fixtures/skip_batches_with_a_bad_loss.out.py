# t2l-fixture: verify --steps 25
"""Batches whose loss is too large (corrupted labels) or not finite are skipped: backward and step under a guard."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
features = torch.randn(64, 4)
targets = features.sum(1, keepdim=True) + 0.1 * torch.randn(64, 1)
targets[::9] += 25.0  # corrupted labels: their batches' losses blow up
loader = DataLoader(TensorDataset(features, targets), batch_size=8, shuffle=True)
loader = fabric.setup_dataloaders(loader)
model = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=5e-3)
optimizer = fabric.setup_optimizers(optimizer)
max_loss = 20.0

for epoch in range(3):
    for x, y in loader:
        loss = nn.functional.mse_loss(model(x), y)
        if loss.item() < max_loss and torch.isfinite(loss):
            optimizer.zero_grad()
            fabric.backward(loss)
            optimizer.step()
fabric.print(model[0].weight.sum().item())
