# t2l-fixture: verify --steps 40
"""A Keras-like `fit()` helper: `train_one_epoch` returns `(loss, acc)`, `evaluate` returns the same, both unpacked
at the call, a `history` dict of lists filled each epoch and returned; a tqdm bar over the epochs with
`set_postfix`; a SequentialLR (linear warmup, then cosine) stepped each epoch. The epoch loop iterates the bar by its name
(`pbar = tqdm(range(epochs)); for epoch in pbar:`): read as the range it wraps (it was max_epochs=-1, T2L911)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from tqdm import tqdm
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)


def train_one_epoch(model, loader, criterion, optimizer):
    model.train()
    total_loss, correct, seen = 0.0, 0, 0
    for x, y in loader:
        optimizer.zero_grad()
        out = model(x)
        loss = criterion(out, y)
        fabric.backward(loss)
        optimizer.step()
        total_loss += loss.item() * x.size(0)
        correct += (out.argmax(1) == y).sum().item()
        seen += x.size(0)
    return total_loss / seen, correct / seen


@torch.no_grad()
def evaluate(model, loader, criterion):
    model.eval()
    total_loss, correct, seen = 0.0, 0, 0
    for x, y in loader:
        out = model(x)
        total_loss += criterion(out, y).item() * x.size(0)
        correct += (out.argmax(1) == y).sum().item()
        seen += x.size(0)
    return total_loss / seen, correct / seen


def fit(model, train_loader, val_loader, epochs, lr):
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    model, optimizer = fabric.setup(model, optimizer)
    warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=2)
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs - 2)
    scheduler = torch.optim.lr_scheduler.SequentialLR(optimizer, [warmup, cosine], milestones=[2])
    history = {"loss": [], "acc": [], "val_loss": [], "val_acc": []}
    pbar = tqdm(range(epochs), desc="epochs")
    for epoch in pbar:
        loss, acc = train_one_epoch(model, train_loader, criterion, optimizer)
        val_loss, val_acc = evaluate(model, val_loader, criterion)
        scheduler.step()
        history["loss"].append(loss)
        history["acc"].append(acc)
        history["val_loss"].append(val_loss)
        history["val_acc"].append(val_acc)
        pbar.set_postfix(loss=f"{loss:.3f}", val_loss=f"{val_loss:.3f}")
    return history


g = torch.Generator().manual_seed(8)
x = torch.randn(150, 5, generator=g)
y = (x[:, 0] * x[:, 1] > 0).long()
train_loader = DataLoader(TensorDataset(x[:120], y[:120]), batch_size=20, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
val_loader = DataLoader(TensorDataset(x[120:], y[120:]), batch_size=30)
val_loader = fabric.setup_dataloaders(val_loader)
model = nn.Sequential(nn.Linear(5, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 2))
history = fit(model, train_loader, val_loader, epochs=5, lr=0.05)
for key, values in history.items():
    fabric.print(key, " ".join(f"{v:.4f}" for v in values))
