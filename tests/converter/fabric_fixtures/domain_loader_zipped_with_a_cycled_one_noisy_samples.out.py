# t2l-fixture: verify --steps 30
"""A source loader zipped with a cycled target loader; each sample gets torch noise in __getitem__; dropout."""
import itertools

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(2)


class Noisy(Dataset):
    def __init__(self, n, shift):
        self.x = torch.randn(n, 4) + shift
        self.y = (self.x.sum(1) > shift * 4).long()

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.x[i] + 0.1 * torch.randn(4), self.y[i]


source = DataLoader(Noisy(32, 0.0), batch_size=8, shuffle=True)
target = DataLoader(Noisy(32, 0.5), batch_size=8, shuffle=True)
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
model, optimizer = fabric.setup(model, optimizer)
for epoch in range(3):
    for (xs, ys), (xt, _) in zip(source, itertools.cycle(target)):
        loss = nn.functional.cross_entropy(model(xs), ys) + 0.1 * model(xt).softmax(1).max(1).values.mean()
        optimizer.zero_grad()
        fabric.backward(loss)
        optimizer.step()
    fabric.print(epoch, loss.item())
