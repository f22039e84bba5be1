# t2l-fixture: verify --steps 24
"""Epoch-end bookkeeping in a flat loop: an LR annealed by hand through param_groups, the best loss kept, an epoch print."""
import torch
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
loader = DataLoader(TensorDataset(torch.randn(64, 4), torch.randn(64, 1)), batch_size=8, shuffle=True)
loader = fabric.setup_dataloaders(loader)
best_loss = float("inf")
for epoch in range(3):
    epoch_loss = 0.0
    for x, y in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        fabric.backward(loss)
        optimizer.step()
        epoch_loss += loss.item()
    # anneal by hand
    for group in optimizer.param_groups:
        group["lr"] = group["lr"] * 0.5
    if epoch_loss < best_loss:
        best_loss = epoch_loss
    fabric.print(f"epoch {epoch} loss {epoch_loss / len(loader):.4f} lr {optimizer.param_groups[0]['lr']}")
fabric.print("best", best_loss)
