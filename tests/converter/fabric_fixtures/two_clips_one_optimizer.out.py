# t2l-fixture: verify --steps 10
"""Two clipping calls over two parameter groups with one optimizer: kept as written in configure_gradient_clipping."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
encoder = nn.Linear(4, 8)
decoder = nn.Linear(8, 1)
model = nn.Sequential(encoder, decoder)
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
model, optimizer = fabric.setup(model, optimizer)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1) * 10), batch_size=4, shuffle=True)
loader = fabric.setup_dataloaders(loader)
for epoch in range(2):
    for x, y in loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        fabric.backward(loss)
        nn.utils.clip_grad_norm_(encoder.parameters(), 0.5)
        nn.utils.clip_grad_norm_(decoder.parameters(), 0.5)
        optimizer.step()
