# t2l-fixture: verify --steps 20
"""CosineAnnealingWarmRestarts stepped each batch with a fractional epoch, as its documentation shows."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
x = torch.randn(64, 5)
y = x[:, :1] * 2
loader = DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True)
loader = fabric.setup_dataloaders(loader)
model = nn.Linear(5, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
model, optimizer = fabric.setup(model, optimizer)
scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=2)
iters = len(loader)
for epoch in range(4):
    for i, (xb, yb) in enumerate(loader):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(xb), yb)
        fabric.backward(loss)
        optimizer.step()
        scheduler.step(epoch + i / iters)
fabric.print(model.weight.sum().item(), scheduler.get_last_lr())
