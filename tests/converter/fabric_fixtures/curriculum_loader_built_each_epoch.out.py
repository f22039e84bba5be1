# t2l-fixture: verify --steps 30
"""Curriculum learning: samples ordered from easy to hard once, and each epoch a DataLoader over a larger share of
them (a `Subset` of the first `n` indices), built inside the epoch loop; a held-out set evaluated each epoch."""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Subset, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


class MLP(nn.Module):
    def __init__(self, inputs=8, hidden=32, classes=3):
        super().__init__()
        self.fc1 = nn.Linear(inputs, hidden)
        self.fc2 = nn.Linear(hidden, classes)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


def pacing(epoch, total, start=0.25, epochs_to_full=3):
    """The share of the ordered data seen in `epoch`: from `start` up to all of it."""
    share = min(1.0, start + (1.0 - start) * epoch / epochs_to_full)
    return max(1, int(share * total))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()

    features = torch.randn(320, 8)
    labels = (features[:, 0] > 0).long() + (features[:, 1] > 1).long()
    difficulty = -features[:, :2].abs().sum(1)  # near the class borders is hard
    order = torch.argsort(difficulty).tolist()
    train_set = TensorDataset(features[:256], labels[:256])
    order = [i for i in order if i < 256]
    val_loader = DataLoader(TensorDataset(features[256:], labels[256:]), batch_size=64)
    val_loader = fabric.setup_dataloaders(val_loader)

    model = MLP()
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    model, optimizer = fabric.setup(model, optimizer)
    for epoch in range(args.epochs):
        model.train()
        seen = pacing(epoch, len(order))
        loader = DataLoader(Subset(train_set, order[:seen]), batch_size=args.batch_size, shuffle=True)
        loader = fabric.setup_dataloaders(loader)
        total = 0.0
        for x, y in loader:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y)
            fabric.backward(loss)
            optimizer.step()
            total += loss.item() * len(x)
        model.eval()
        correct = 0
        with torch.no_grad():
            for x, y in val_loader:
                correct += (model(x).argmax(1) == y).sum().item()
        fabric.print(f"epoch {epoch}: {seen} samples, train loss {total / seen:.4f}, val acc {correct / 64:.3f}")


if __name__ == "__main__":
    main()
