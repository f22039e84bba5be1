# t2l-fixture: verify --steps 32
"""SWA shape from the PyTorch docs: AveragedModel updated each epoch after swa_start, SWALR vs the usual scheduler, update_bn at the end; plus a per-step EMA."""
import torch
import torch.nn as nn
from torch.optim.swa_utils import SWALR, AveragedModel, get_ema_multi_avg_fn, update_bn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(64, 10), torch.randn(64, 1)), batch_size=8, shuffle=True)
loader = fabric.setup_dataloaders(loader)
model = nn.Sequential(nn.Linear(10, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=10)
swa_model = AveragedModel(model)
ema_model = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(0.99))
swa_start = 2
swa_scheduler = SWALR(optimizer, swa_lr=0.05)
loss_fn = nn.MSELoss()

for epoch in range(4):
    for input, target in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(input), target)
        fabric.backward(loss)
        optimizer.step()
        ema_model.update_parameters(model)
    if epoch > swa_start:
        swa_model.update_parameters(model)
        swa_scheduler.step()
    else:
        scheduler.step()

update_bn(loader, swa_model)
with torch.no_grad():
    x, y = next(iter(loader))
    fabric.print("swa loss", loss_fn(swa_model(x), y).item(), "ema loss", loss_fn(ema_model(x), y).item())
