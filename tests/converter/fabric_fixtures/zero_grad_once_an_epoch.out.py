# t2l-fixture: verify --steps 20
"""zero_grad once per epoch, before the batch loop: gradients add up over the epoch's batches (each step uses the sum)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
x = torch.randn(64, 3)
y = x @ torch.tensor([[1.0], [-2.0], [0.5]])
loader = DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True)
loader = fabric.setup_dataloaders(loader)
model = nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
model, optimizer = fabric.setup(model, optimizer)
for epoch in range(3):
    optimizer.zero_grad()
    for xb, yb in loader:
        loss = nn.functional.mse_loss(model(xb), yb)
        fabric.backward(loss)
        optimizer.step()
    fabric.print(epoch, loss.item())
fabric.print(model.weight.sum().item())
