# t2l-fixture: verify --steps 16
"""A train function that returns its epoch loss and an evaluation that returns (loss, accuracy), both read by the
epoch loop (a history dict, the best checkpoint). The training's result was marked stale, and the script crashed
building the module (`train_loss=train_loss` at module level); it is now computed at epoch end as the call did."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


def train_one_epoch(model, loader, optimizer, criterion):
    model.train()
    running_loss = 0.0
    for x, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        fabric.backward(loss)
        optimizer.step()
        running_loss += loss.item() * x.size(0)
    return running_loss / len(loader.dataset)


@torch.no_grad()
def evaluate(model, loader, criterion):
    model.eval()
    total_loss, correct = 0.0, 0
    for x, y in loader:
        out = model(x)
        total_loss += criterion(out, y).item() * x.size(0)
        correct += (out.argmax(1) == y).sum().item()
    return total_loss / len(loader.dataset), correct / len(loader.dataset)


torch.manual_seed(0)
x = torch.randn(160, 8)
y = (x.sum(1) > 0).long()
train_loader = DataLoader(TensorDataset(x[:128], y[:128]), batch_size=16, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
val_loader = DataLoader(TensorDataset(x[128:], y[128:]), batch_size=16)
val_loader = fabric.setup_dataloaders(val_loader)
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
model, optimizer = fabric.setup(model, optimizer)
criterion = nn.CrossEntropyLoss()
history = {"train_loss": [], "val_loss": [], "val_acc": []}
best = float("inf")
for epoch in range(4):
    train_loss = train_one_epoch(model, train_loader, optimizer, criterion)
    val_loss, val_acc = evaluate(model, val_loader, criterion)
    history["train_loss"].append(train_loss)
    history["val_loss"].append(val_loss)
    history["val_acc"].append(val_acc)
    fabric.print(f"Epoch {epoch}: train {train_loss:.4f} val {val_loss:.4f} acc {val_acc:.3f}")
    if val_loss < best:
        best = val_loss
        torch.save(model.state_dict(), "best.pt")
fabric.print(history)
