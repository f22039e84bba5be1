# t2l-fixture: unchanged
"""Manual SGD without an optimizer (the 'what is torch.nn really' shape). Marked, not converted."""
import torch
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

weights = torch.randn(8, 2, requires_grad=True)
x, y = torch.randn(64, 8), torch.randint(0, 2, (64,))
lr = 0.5
for epoch in range(2):
    for i in range(8):
        xb, yb = x[i * 8:(i + 1) * 8], y[i * 8:(i + 1) * 8]
        loss = torch.nn.functional.cross_entropy(xb @ weights, yb)
        fabric.backward(loss)
        with torch.no_grad():
            weights -= weights.grad * lr
            weights.grad.zero_()
