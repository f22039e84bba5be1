# t2l-fixture: verify --steps 8
"""Mixed precision the PyTorch way: torch.autocast + GradScaler, enabled only on CUDA; validation inline."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

use_amp = torch.cuda.is_available()
device = torch.device("cuda" if use_amp else "cpu")
fabric = Fabric(accelerator=device.type, devices=1)
fabric.launch()
torch.manual_seed(3)
train_loader = DataLoader(TensorDataset(torch.randn(48, 10), torch.randn(48, 1)), batch_size=8, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
val_loader = DataLoader(TensorDataset(torch.randn(16, 10), torch.randn(16, 1)), batch_size=8)
val_loader = fabric.setup_dataloaders(val_loader)
model = nn.Sequential(nn.Linear(10, 32), nn.GELU(), nn.Linear(32, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.05)
model, opt = fabric.setup(model, opt)
# TODO(t2l): T2L943 mixed precision by hand (autocast, GradScaler): kept; Fabric(precision="bf16-mixed" or "16-mixed") and fabric.backward do it
scaler = torch.cuda.amp.GradScaler(enabled=use_amp)

for epoch in range(2):
    model.train()
    for x, y in train_loader:
        x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
        # TODO(t2l): T2L943 mixed precision by hand (autocast, GradScaler): kept; Fabric(precision="bf16-mixed" or "16-mixed") and fabric.backward do it
        with torch.autocast(device_type="cuda", dtype=torch.float16, enabled=use_amp):
            pred = model(x)
            loss = F.mse_loss(pred, y)
        fabric.backward(scaler.scale(loss))
        scaler.step(opt)
        scaler.update()
        opt.zero_grad()
    model.eval()
    val_loss = 0.0
    with torch.no_grad():
        for x, y in val_loader:
            val_loss += F.mse_loss(model(x), y).item()
    fabric.print(f"epoch {epoch}: val loss {val_loss / len(val_loader):.4f}")
