# t2l-fixture: verify --steps 12
"""A `train_one_epoch(...)` function in the common tutorial shape: the batch loop sits between statements that
start an epoch (a timer, running totals) and statements that end it (an average appended to a history list and
printed). Those must move to the epoch hooks with the totals they read, not vanish with the function."""
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
features, labels = torch.randn(320, 12), torch.randint(0, 3, (320,))
train_loader = DataLoader(TensorDataset(features, labels), batch_size=32, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
model = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
model, optimizer = fabric.setup(model, optimizer)
train_losses = []


def train_one_epoch(model, loader, optimizer, epoch):
    """One pass over the training data; returns the mean loss per sample."""
    model.train()
    started = time.time()
    running_loss, seen = 0.0, 0
    for inputs, targets in loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(inputs), targets)
        fabric.backward(loss)
        optimizer.step()
        running_loss += loss.item() * inputs.size(0)
        seen += inputs.size(0)
    epoch_loss = running_loss / seen
    train_losses.append(epoch_loss)
    fabric.print(f"epoch {epoch}: loss {epoch_loss:.4f} ({time.time() - started:.1f} s)")
    return epoch_loss


for epoch in range(1, 4):
    last_loss = train_one_epoch(model, train_loader, optimizer, epoch)
fabric.print("per-epoch losses:", [round(x, 4) for x in train_losses])
