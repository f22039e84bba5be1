# t2l-fixture: verify --steps 30
"""A batch loop over iter(loader); each sample gets torch noise; dropout."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(6)


class Noisy(Dataset):
    def __init__(self, n):
        self.x = torch.randn(n, 4)
        self.y = (self.x.sum(1) > 0).long()

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.x[i] + 0.1 * torch.randn(4), self.y[i]


loader = DataLoader(Noisy(32), batch_size=8, shuffle=True)
loader = fabric.setup_dataloaders(loader)
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
model, optimizer = fabric.setup(model, optimizer)
for epoch in range(3):
    for x, y in iter(loader):
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        fabric.backward(loss)
        optimizer.step()
    fabric.print(epoch, loss.item())
