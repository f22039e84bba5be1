# t2l-fixture: verify --steps 21
"""Validation every N epochs (`if (epoch + 1) % eval_every == 0:`), inline and by a function whose result is kept: both stay under their condition."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
train_loader = DataLoader(TensorDataset(torch.randn(32, 5), torch.randn(32, 1)), batch_size=8, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
val_loader = DataLoader(TensorDataset(torch.randn(16, 5), torch.randn(16, 1)), batch_size=8)
val_loader = fabric.setup_dataloaders(val_loader)
model = nn.Sequential(nn.Linear(5, 8), nn.Dropout(0.3), nn.Linear(8, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
eval_every = 2
history = []


def validate():
    model.eval()
    total = 0.0
    with torch.no_grad():
        for x, y in val_loader:
            total += nn.functional.mse_loss(model(x), y, reduction="sum").item()
    model.train()
    return total / len(val_loader.dataset)


for epoch in range(5):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        fabric.backward(loss)
        optimizer.step()
    if (epoch + 1) % eval_every == 0:
        model.eval()
        val_loss = 0.0
        with torch.no_grad():
            for x, y in val_loader:
                val_loss += nn.functional.mse_loss(model(x), y).item()
        fabric.print(f"epoch {epoch}: val {val_loss / len(val_loader):.5f}")
    if epoch % 3 == 2:
        history.append(round(validate(), 5))
fabric.print(history)
