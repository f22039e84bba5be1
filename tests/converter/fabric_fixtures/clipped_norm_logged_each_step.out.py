# t2l-fixture: verify --steps 8
"""The returned gradient norm kept and read by the step (a list of norms, a progress print): Lightning clips after
training_step returns, so the conversion calls backward, clipping and step itself (manual optimization)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(32, 5), torch.randn(32, 1)), batch_size=8, shuffle=True)
loader = fabric.setup_dataloaders(loader)
model = nn.Linear(5, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
norms = []
for epoch in range(2):
    for step, (x, y) in enumerate(loader):
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        fabric.backward(loss)
        grad_norm = fabric.clip_gradients(model, optimizer, max_norm=1.0, error_if_nonfinite=False)
        optimizer.step()
        norms.append(grad_norm.item())
        if step % 2 == 0:
            fabric.print(f"step {step} loss {loss.item():.4f} grad_norm {grad_norm:.4f}")
fabric.print(sum(norms))
