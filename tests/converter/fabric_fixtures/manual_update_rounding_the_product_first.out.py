# t2l-fixture: verify --steps 40
"""A first-principles tutorial's loop: an MLP on two interleaved half-moons, the parameters updated by hand under
`torch.no_grad()` with `p -= lr * p.grad` (the product rounded before it is subtracted, unlike SGD's fused step),
the gradients zeroed on the model, the accuracy printed each epoch."""
import math

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
angle = torch.rand(256) * math.pi
upper = torch.stack([torch.cos(angle), torch.sin(angle)], 1)
lower = torch.stack([1 - torch.cos(angle), 0.5 - torch.sin(angle)], 1)
points = torch.cat([upper, lower]) + 0.1 * torch.randn(512, 2)
labels = torch.cat([torch.zeros(256), torch.ones(256)]).long()
loader = DataLoader(TensorDataset(points, labels), batch_size=64, shuffle=True)
loader = fabric.setup_dataloaders(loader)

model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))
model = fabric.setup_module(model)
loss_fn = nn.CrossEntropyLoss()
learning_rate = 0.5

for epoch in range(5):
    correct = 0
    for xb, yb in loader:
        logits = model(xb)
        loss = loss_fn(logits, yb)
        model.zero_grad()
        fabric.backward(loss)
        with torch.no_grad():
            for p in model.parameters():
                p -= learning_rate * p.grad
        correct += (logits.argmax(1) == yb).sum().item()
    fabric.print(f"epoch {epoch}: accuracy {correct / len(loader.dataset):.4f}")
