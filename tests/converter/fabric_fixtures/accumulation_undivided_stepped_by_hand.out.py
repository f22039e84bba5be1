# t2l-fixture: verify --steps 12
"""Accumulation that sums gradients without dividing the loss: Lightning's accumulate_grad_batches would divide it,
so the window stays as written under manual optimization."""
import torch
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
model, optimizer = fabric.setup(model, optimizer)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=4)
loader = fabric.setup_dataloaders(loader)
for epoch in range(2):
    for i, (x, y) in enumerate(loader):
        with fabric.no_backward_sync(model, enabled=(i + 1) % 2 != 0):
            loss = torch.nn.functional.mse_loss(model(x), y)
            fabric.backward(loss)
        if (i + 1) % 2 == 0:
            optimizer.step()
            optimizer.zero_grad()
