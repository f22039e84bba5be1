import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

torch.manual_seed(0)
device = "cuda" if torch.cuda.is_available() else "cpu"
fabric = Fabric(accelerator=torch.device(device).type, devices=1)
fabric.launch()
use_amp = device == "cuda"
loader = DataLoader(TensorDataset(torch.randn(32, 6), torch.randn(32, 1)), batch_size=8, shuffle=True)
loader = fabric.setup_dataloaders(loader)
model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
model, optimizer = fabric.setup(model, optimizer)
# TODO(t2l): T2L943 mixed precision by hand (autocast, GradScaler) not in a shape Fabric's own scaler and autocast match (a scaler's own settings or saved state, an autocast in a variable or of two kinds): kept; Fabric(precision="bf16-mixed" or "16-mixed") and fabric.backward do it
scaler = torch.cuda.amp.GradScaler(enabled=use_amp)
for epoch in range(2):
    for x, y in loader:
        # TODO(t2l): T2L943 mixed precision by hand (autocast, GradScaler) not in a shape Fabric's own scaler and autocast match (a scaler's own settings or saved state, an autocast in a variable or of two kinds): kept; Fabric(precision="bf16-mixed" or "16-mixed") and fabric.backward do it
        with torch.autocast(device_type=device, dtype=torch.float16, enabled=use_amp):
            loss = nn.functional.mse_loss(model(x), y)
        fabric.backward(scaler.scale(loss))
        scaler.unscale_(optimizer)
        fabric.clip_gradients(model, optimizer, max_norm=0.5, error_if_nonfinite=False)
        scaler.step(optimizer)
        scaler.update()
        optimizer.zero_grad(set_to_none=True)
