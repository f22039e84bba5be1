# t2l-fixture: verify --steps 13
"""A StepLR stepped every other batch, after the optimizer step (`if i % 2 == 1: scheduler.step()`)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(48, 5), torch.randn(48, 1)), batch_size=8, shuffle=True)
loader = fabric.setup_dataloaders(loader)
model = nn.Linear(5, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.7)

for epoch in range(2):
    for i, (x, y) in enumerate(loader):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        fabric.backward(loss)
        optimizer.step()
        if i % 2 == 1:
            scheduler.step()
fabric.print(model.weight.sum().item(), scheduler.get_last_lr())
