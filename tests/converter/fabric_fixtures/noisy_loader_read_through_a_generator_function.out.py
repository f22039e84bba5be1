# t2l-fixture: verify --steps 30
"""Batches read through a generator function of the script (`on_device(loader)`, a yield per batch) from a data set
that adds torch noise in __getitem__; dropout."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


class Noisy(Dataset):
    def __init__(self, n):
        self.x = torch.randn(n, 8)
        self.y = torch.randint(0, 2, (n,))

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return self.x[i] + 0.1 * torch.randn(8), self.y[i]


def on_device(batches, device=torch.device("cpu")):
    for x, y in batches:
        yield x.to(device), y.to(device)


torch.manual_seed(0)
loader = DataLoader(Noisy(96), batch_size=16, shuffle=True)
loader = fabric.setup_dataloaders(loader)
model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
model, optimizer = fabric.setup(model, optimizer)
criterion = nn.CrossEntropyLoss()


for epoch in range(3):
    for x, y in on_device(loader):
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        fabric.backward(loss)
        optimizer.step()
    fabric.print(f"epoch {epoch} loss {loss.item():.4f}")
