# t2l-fixture: verify --steps 32
"""`run_epoch(model, loader, criterion, optimizer=None)`: trains when given an optimizer, else evaluates; the
phase is `is_train = optimizer is not None`; zero_grad and the step in separate `if is_train:` blocks."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
DEVICE = "cpu"
features = torch.randn(200, 12)
labels = (features[:, :4].sum(1) > 0).long()
train_loader = DataLoader(TensorDataset(features[:160], labels[:160]), batch_size=20, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
val_loader = DataLoader(TensorDataset(features[160:], labels[160:]), batch_size=20)
val_loader = fabric.setup_dataloaders(val_loader)


def run_epoch(model, loader, criterion, optimizer=None):
    """One pass over a loader. Trains if an optimizer is given, otherwise only evaluates."""
    is_train = optimizer is not None
    model.train() if is_train else model.eval()
    total_loss = 0.0
    all_preds, all_labels = [], []
    for inputs, targets in loader:
        inputs, targets = inputs.to(DEVICE), targets.to(DEVICE)
        if is_train:
            optimizer.zero_grad()
        with torch.set_grad_enabled(is_train):
            logits = model(inputs)
            loss = criterion(logits, targets)
            if is_train:
                fabric.backward(loss)
                optimizer.step()
        total_loss += loss.item() * inputs.size(0)
        all_preds.extend(logits.argmax(1).tolist())
        all_labels.extend(targets.tolist())
    accuracy = sum(p == t for p, t in zip(all_preds, all_labels)) / len(all_labels)
    return total_loss / len(loader.dataset), accuracy


def main():
    model = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, 2)).to(DEVICE)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model, optimizer = fabric.setup(model, optimizer)
    best_acc = 0.0
    for epoch in range(1, 5):
        train_loss, train_acc = run_epoch(model, train_loader, criterion, optimizer)
        val_loss, val_acc = run_epoch(model, val_loader, criterion)
        if val_acc > best_acc:
            best_acc = val_acc
        fabric.print(f"Epoch {epoch:02d} | train {train_loss:.4f}/{train_acc:.3f} | val {val_loss:.4f}/{val_acc:.3f}")
    fabric.print(f"best val acc {best_acc:.3f}")


if __name__ == "__main__":
    main()
