# t2l-fixture: verify --steps 19
"""Warm-up then cosine learning rate set by hand on the param groups each step, under `tqdm(enumerate(loader), total=...)`."""
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from tqdm import tqdm
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(48, 6), torch.randint(0, 3, (48,))), batch_size=8, shuffle=True)
loader = fabric.setup_dataloaders(loader)
model = nn.Sequential(nn.Linear(6, 16), nn.GELU(), nn.Linear(16, 3))
base_lr, warmup, total = 3e-3, 5, 18
optimizer = torch.optim.AdamW(model.parameters(), lr=base_lr, weight_decay=0.01)
optimizer = fabric.setup_optimizers(optimizer)
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
global_step = 0
for epoch in range(3):
    for i, (x, y) in tqdm(enumerate(loader), total=len(loader), desc=f"epoch {epoch}"):
        lr = base_lr * min(1.0, (global_step + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * global_step / total))
        for group in optimizer.param_groups:
            group["lr"] = lr
        out = model(x)
        loss = criterion(out, y)
        optimizer.zero_grad(set_to_none=True)
        fabric.backward(loss)
        optimizer.step()
        global_step += 1
fabric.print(global_step, model[0].weight.sum().item())
