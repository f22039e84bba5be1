# t2l-fixture: verify --steps 24
"""A loss term ramped in by a global step counter incremented at the top of the batch loop (a KL or consistency
weight warm-up), and a schedule read from the epoch and the batch index. The counter is read after its increment:
on the first batch it is 1, where Lightning's self.global_step is still 0."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(96, 6), torch.randn(96, 2)), batch_size=12, shuffle=True)
loader = fabric.setup_dataloaders(loader)
student = nn.Sequential(nn.Linear(6, 16), nn.GELU(), nn.Linear(16, 2))
optimizer = torch.optim.Adam(student.parameters(), lr=1e-3)
student, optimizer = fabric.setup(student, optimizer)
total_steps = 3 * len(loader)
global_step = 0
for epoch in range(3):
    for i, (x, y) in enumerate(loader):
        global_step += 1
        ramp = min(1.0, global_step / total_steps)
        progress = (epoch * len(loader) + i) / total_steps
        out = student(x)  # (12, 2)
        loss = F.mse_loss(out, y) + ramp * out.pow(2).mean() + progress * out.abs().mean()
        optimizer.zero_grad()
        fabric.backward(loss)
        optimizer.step()
fabric.print("done after", global_step, "steps")
