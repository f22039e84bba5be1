# t2l-fixture: verify --steps 4
"""Gradient accumulation by hand: the loss divided by `accum`, the step every `accum` batches -> accumulate_grad_batches."""
import torch
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=4)
loader = fabric.setup_dataloaders(loader)
accum = 4
for epoch in range(2):
    for i, (x, y) in enumerate(loader):
        with fabric.no_backward_sync(model, enabled=(i + 1) % accum != 0):
            loss = torch.nn.functional.mse_loss(model(x), y) / accum
            fabric.backward(loss)
        if (i + 1) % accum == 0:
            optimizer.step()
            optimizer.zero_grad()
