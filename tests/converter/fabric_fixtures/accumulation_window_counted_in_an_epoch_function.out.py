# t2l-fixture: verify --steps 60
"""Accumulation in an epoch function: zero_grad at each window's start, the step at its end, the last partial window
stepped after the loop; the function returns the epoch's mean undivided loss."""
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


def train_one_epoch_accum(model, loader, criterion, optimizer, accum_steps=4):
    model.train()
    total_loss, n = 0.0, 0
    for batch_idx, (x, y) in enumerate(loader):
        if batch_idx % accum_steps == 0:
            optimizer.zero_grad()
        with fabric.no_backward_sync(model, enabled=(batch_idx + 1) % accum_steps != 0):
            logits = model(x)
            loss = criterion(logits, y) / accum_steps
            fabric.backward(loss)
        if (batch_idx + 1) % accum_steps == 0:
            optimizer.step()
        total_loss += loss.item() * accum_steps
        n += 1
    if n % accum_steps != 0:
        optimizer.step()
    return total_loss / max(n, 1)


torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Dropout(0.1), nn.Linear(8, 2))
loader = DataLoader(TensorDataset(torch.randn(36, 4), torch.randint(0, 2, (36,))), batch_size=2, shuffle=True)
loader = fabric.setup_dataloaders(loader)
criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(model.parameters(), lr=1e-3)
model, optimizer = fabric.setup(model, optimizer)
for epoch in range(3):
    loss = train_one_epoch_accum(model, loader, criterion, optimizer, accum_steps=4)
    fabric.print(f"epoch {epoch}: {loss:.5f}")
