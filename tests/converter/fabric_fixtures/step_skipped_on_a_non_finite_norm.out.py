# t2l-fixture: verify --steps 24
"""A step skipped when the clipped gradient norm is not finite (one target is infinite): zero_grad, a message and
`continue`; the last norm printed each epoch. torch's clip_grad_norm_ returns the NaN norm, where Fabric's
clip_gradients raises by default: the Fabric route passes `error_if_nonfinite=False`, torch's default."""
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
x = torch.randn(64, 4)
y = x.sum(1, keepdim=True)
y[5] = float("inf")
loader = DataLoader(TensorDataset(x, y), batch_size=8)
loader = fabric.setup_dataloaders(loader)
model = nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
model, optimizer = fabric.setup(model, optimizer)
for epoch in range(3):
    for i, (xb, yb) in enumerate(loader):
        loss = nn.functional.mse_loss(model(xb), yb)
        optimizer.zero_grad()
        fabric.backward(loss)
        norm = fabric.clip_gradients(model, optimizer, max_norm=1.0, error_if_nonfinite=False)
        if not math.isfinite(norm.item()):
            fabric.print(f"epoch {epoch} batch {i}: non-finite gradient norm, step skipped")
            optimizer.zero_grad()
            continue
        optimizer.step()
    fabric.print(f"epoch {epoch} last norm {norm.item():.4f}")
