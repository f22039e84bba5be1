# t2l-fixture: verify --steps 30
"""The reproducibility recipe: a seeded torch.Generator for the DataLoader's shuffle and a worker_init_fn seeding
numpy and random in each worker from torch's per-worker seed (`--workers`, none by default); numpy noise added to
each sample (numpy's scale, torch's noise), dropout in the model."""
import argparse
import random

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


def seed_worker(worker_id):
    worker_seed = torch.initial_seed() % 2**32
    np.random.seed(worker_seed)
    random.seed(worker_seed)


class NoisyPoints(Dataset):
    def __init__(self, n):
        self.x = torch.linspace(-1, 1, n).unsqueeze(1)
        self.y = 3 * self.x - 0.5

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        scale = np.float32(np.random.uniform(0.95, 1.05))
        return self.x[i] * scale + 0.05 * torch.randn(1), self.y[i]


parser = argparse.ArgumentParser()
parser.add_argument("--workers", type=int, default=0)
args = parser.parse_args()
g = torch.Generator()
g.manual_seed(0)
train_loader = DataLoader(NoisyPoints(40), batch_size=8, shuffle=True, num_workers=args.workers, worker_init_fn=seed_worker,
                          generator=g)
train_loader = fabric.setup_dataloaders(train_loader)
model = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Dropout(0.1), nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
model, optimizer = fabric.setup(model, optimizer)
criterion = nn.MSELoss()

for epoch in range(3):
    model.train()
    epoch_loss = 0.0
    for inputs, targets in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), targets)
        fabric.backward(loss)
        optimizer.step()
        epoch_loss += loss.item()
    fabric.print(f"epoch {epoch}: {epoch_loss / len(train_loader):.5f}")
