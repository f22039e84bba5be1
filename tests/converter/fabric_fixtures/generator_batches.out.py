# t2l-fixture: verify --steps 12
"""Batches from a generator function called in the batch loop's header, a new shuffle each epoch, and a zip of two
tensors' chunks for validation (the old 'get_batches' tutorials). Lightning iterates what fit gets once an epoch: a
generator handed over as it is would train one epoch and then find nothing."""
import torch
import torch.nn.functional as F
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
inputs = torch.randn(96, 8)
labels = (inputs[:, :4].sum(1) > 0).long()
train_x, train_y, val_x, val_y = inputs[:64], labels[:64], inputs[64:], labels[64:]
model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
model, optimizer = fabric.setup(model, optimizer)


def get_batches(x, y, batch_size=16):
    order = torch.randperm(len(x))
    for start in range(0, len(x), batch_size):
        rows = order[start : start + batch_size]
        yield x[rows], y[rows]


for epoch in range(3):
    model.train()
    for xb, yb in get_batches(train_x, train_y):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        fabric.backward(loss)
        optimizer.step()
    model.eval()
    with torch.no_grad():
        correct = sum((model(xb).argmax(1) == yb).sum().item() for xb, yb in zip(val_x.split(16), val_y.split(16)))
    fabric.print(f"epoch {epoch}: loss {loss.item():.4f}, val accuracy {correct / len(val_x):.2f}")
