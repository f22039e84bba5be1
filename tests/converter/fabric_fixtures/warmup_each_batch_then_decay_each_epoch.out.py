# t2l-fixture: verify --steps 40
"""A linear warm-up stepped after every batch and a step decay stepped after every epoch, both on one optimizer
(a common recipe, often built with SequentialLR; here two schedulers side by side), the rate printed each epoch:
configure_optimizers returns both (it returned the first alone, and the decay never stepped)."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(48, 6), torch.randint(0, 3, (48,))), batch_size=8, shuffle=True)
loader = fabric.setup_dataloaders(loader)
model = nn.Sequential(nn.Linear(6, 24), nn.ReLU(), nn.Dropout(0.1), nn.Linear(24, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.2, momentum=0.9, nesterov=True)
model, optimizer = fabric.setup(model, optimizer)
warmup = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.1, total_iters=len(loader))
decay = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.6)
criterion = nn.CrossEntropyLoss()

for epoch in range(4):
    model.train()
    for inputs, targets in loader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), targets)
        fabric.backward(loss)
        optimizer.step()
        warmup.step()
    decay.step()
    fabric.print(f"epoch {epoch}: loss {loss.item():.5f} lr {optimizer.param_groups[0]['lr']:.6f}")
