# t2l-fixture: verify --steps 40 -- --epochs 2
"""A modern training script that compiles its model when asked (`--compile`, on by default) and saves the
uncompiled module's weights, `model._orig_mod.state_dict()` (keys without the `_orig_mod.` prefix), with the
optimizer's state at each epoch's end; the saved keys are read back and printed."""
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=3)
parser.add_argument("--no-compile", dest="compile", action="store_false")
args = parser.parse_args()

torch.manual_seed(0)
features = torch.randn(320, 12)
labels = (features[:, :3].sum(1) > 0).long()
loader = DataLoader(TensorDataset(features, labels), batch_size=32, shuffle=True)
loader = fabric.setup_dataloaders(loader)


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(12, 32), nn.GELU())
        self.head = nn.Linear(32, 2)

    def forward(self, x):
        return self.head(self.body(x))


model = Classifier()
if args.compile:
    model = torch.compile(model)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
model, optimizer = fabric.setup(model, optimizer)
for epoch in range(args.epochs):
    model.train()
    total = 0.0
    for x, y in loader:
        logits = model(x)
        loss = nn.functional.cross_entropy(logits, y)
        optimizer.zero_grad(set_to_none=True)
        fabric.backward(loss)
        optimizer.step()
        total += loss.item()
    fabric.print(f"epoch {epoch} loss {total / len(loader):.4f}")
    state = model.module.state_dict() if args.compile else model.state_dict()
    torch.save({"model": state, "optimizer": optimizer.state_dict(), "epoch": epoch}, "checkpoint.pt")

saved = torch.load("checkpoint.pt")
fabric.print("saved", sorted(saved["model"]), saved["epoch"])
