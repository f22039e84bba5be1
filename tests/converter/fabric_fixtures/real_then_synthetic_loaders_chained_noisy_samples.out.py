# t2l-fixture: verify --steps 30
"""Real and synthetic data read one after the other each epoch with itertools.chain; the synthetic samples get torch
noise in __getitem__; dropout."""
import itertools

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset, TensorDataset
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


torch.manual_seed(0)
real_loader = DataLoader(TensorDataset(torch.randn(64, 8), torch.randint(0, 2, (64,))), batch_size=16, shuffle=True)
real_loader = fabric.setup_dataloaders(real_loader)
synthetic_loader = DataLoader(Noisy(64), batch_size=16, shuffle=True)
synthetic_loader = fabric.setup_dataloaders(synthetic_loader)
model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Dropout(0.3), nn.Linear(32, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
model, optimizer = fabric.setup(model, optimizer)
criterion = nn.CrossEntropyLoss()
for epoch in range(3):
    for x, y in itertools.chain(real_loader, synthetic_loader):
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        fabric.backward(loss)
        optimizer.step()
    fabric.print(f"epoch {epoch} loss {loss.item():.4f}")
