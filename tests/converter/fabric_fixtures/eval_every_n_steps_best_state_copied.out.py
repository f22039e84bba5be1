# t2l-fixture: verify --steps 40
"""Evaluation every `eval_every` optimizer steps from inside the batch loop (the BERT fine-tuning scripts' shape): an
evaluate() function that switches the model to eval and back, the best weights kept with copy.deepcopy of the
state_dict, loaded after the training and evaluated again."""
import copy

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
X = torch.randn(400, 12)
y = (X[:, :3].sum(1) > 0).long()
train_loader = DataLoader(TensorDataset(X[:320], y[:320]), batch_size=16, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
val_loader = DataLoader(TensorDataset(X[320:], y[320:]), batch_size=40)
val_loader = fabric.setup_dataloaders(val_loader)
model = nn.Sequential(nn.Linear(12, 48), nn.ReLU(), nn.Dropout(0.1), nn.Linear(48, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
model, optimizer = fabric.setup(model, optimizer)
criterion = nn.CrossEntropyLoss()
eval_every = 7


def evaluate(model, loader):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for xb, yb in loader:
            total += criterion(model(xb), yb).item()
    model.train()
    return total / len(loader)


global_step = 0
best_val = float("inf")
best_state = copy.deepcopy(model.state_dict())
for epoch in range(3):
    model.train()
    for xb, yb in train_loader:
        loss = criterion(model(xb), yb)
        optimizer.zero_grad()
        fabric.backward(loss)
        optimizer.step()
        global_step += 1
        if global_step % eval_every == 0:
            val_loss = evaluate(model, val_loader)
            fabric.print(f"step {global_step}: train {loss.item():.4f} val {val_loss:.4f}")
            if val_loss < best_val:
                best_val = val_loss
                best_state = copy.deepcopy(model.state_dict())
model.load_state_dict(best_state)
fabric.print(f"best val {best_val:.4f}, reloaded {evaluate(model, val_loader):.4f}")
