# t2l-fixture: verify --steps 12
"""Gradient monitoring as training scripts write it: after backward and before the step, the total L2 norm of the
gradients summed parameter by parameter (`p.grad.detach().norm(2).item() ** 2`), kept in a list the epoch's print
averages. Lightning calls backward after training_step returns: the read needs manual optimization."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randint(0, 3, (64,))), batch_size=16, shuffle=True)
loader = fabric.setup_dataloaders(loader)
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
model, optimizer = fabric.setup(model, optimizer)
criterion = nn.CrossEntropyLoss()
norms = []
for epoch in range(3):
    for step, (x, y) in enumerate(loader):
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        fabric.backward(loss)
        total_norm = 0.0
        for p in model.parameters():
            if p.grad is not None:
                total_norm += p.grad.detach().norm(2).item() ** 2
        total_norm = total_norm ** 0.5
        norms.append(total_norm)
        optimizer.step()
    fabric.print(f"epoch {epoch}: loss {loss.item():.5f}, mean grad norm {sum(norms[-4:]) / 4:.5f}")
fabric.print("steps", len(norms), "max norm", round(max(norms), 6))
