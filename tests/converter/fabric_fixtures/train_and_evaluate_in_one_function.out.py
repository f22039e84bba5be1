# t2l-fixture: verify --steps 24
"""Training and evaluation in one epoch function that reuses its total (`total = 0.0` again before the evaluation
loop) and returns the validation loss, which the epoch loop appends to a list read after training."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
x = torch.randn(120, 5)
y = x[:, :2].sum(1, keepdim=True)
train_loader = DataLoader(TensorDataset(x[:96], y[:96]), batch_size=12, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
val_loader = DataLoader(TensorDataset(x[96:], y[96:]), batch_size=12)
val_loader = fabric.setup_dataloaders(val_loader)
model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
model, opt = fabric.setup(model, opt)


def one_epoch(epoch):
    model.train()
    total = 0.0
    for xb, yb in train_loader:
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(xb), yb)
        fabric.backward(loss)
        opt.step()
        total += loss.item()
    train_loss = total / len(train_loader)
    model.eval()
    total = 0.0
    with torch.no_grad():
        for xb, yb in val_loader:
            total += nn.functional.mse_loss(model(xb), yb).item()
    val_loss = total / len(val_loader)
    fabric.print(f"epoch {epoch}: train {train_loss:.4f} val {val_loss:.4f}")
    return val_loss


losses = []
for e in range(3):
    losses.append(one_epoch(e))
fabric.print(min(losses))
