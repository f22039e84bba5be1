# t2l-fixture: verify --steps 40
"""The YOLOv5 train loop's warmup: `ni = i + nb * epoch` integrated batches, np.interp of the rate and momentum for
each param group over the first `nw` iterations (bias group from a higher rate), accumulate = max(round(nbs /
total_batch_size), 1) steps, and a LambdaLR stepped each epoch after the warmup. The optimizer is built in two
lines (`optimizer.add_param_group`): both move to configure_optimizers; the step under `ni - last_opt_step >=
accumulate` takes manual optimization, where the epoch's end reads the one optimizer as self.optimizers()."""
import math

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
train_loader = DataLoader(TensorDataset(torch.randn(240, 10), torch.randn(240, 3)), batch_size=16, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
model = nn.Sequential(nn.Linear(10, 24), nn.SiLU(), nn.Linear(24, 3))
g_weights = [p for n, p in model.named_parameters() if n.endswith("weight")]
g_bias = [p for n, p in model.named_parameters() if n.endswith("bias")]
hyp = {"lr0": 0.01, "lrf": 0.1, "momentum": 0.937, "warmup_momentum": 0.8, "warmup_bias_lr": 0.1, "weight_decay": 5e-4}
optimizer = torch.optim.SGD(g_bias, lr=hyp["lr0"], momentum=hyp["momentum"], nesterov=True)
model, optimizer = fabric.setup(model, optimizer)
optimizer.add_param_group({"params": g_weights, "weight_decay": hyp["weight_decay"]})
epochs = 4
lf = lambda x: ((1 - math.cos(x * math.pi / epochs)) / 2) * (hyp["lrf"] - 1) + 1
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lf)
nb = len(train_loader)
nw = 20
accumulate = 1
last_opt_step = -1
for epoch in range(epochs):
    model.train()
    mloss = torch.zeros(1)
    optimizer.zero_grad()
    for i, (imgs, targets) in enumerate(train_loader):
        ni = i + nb * epoch
        if ni <= nw:
            xi = [0, nw]
            for j, x in enumerate(optimizer.param_groups):
                x["lr"] = np.interp(ni, xi, [hyp["warmup_bias_lr"] if j == 0 else 0.0, x["initial_lr"] * lf(epoch)])
                if "momentum" in x:
                    x["momentum"] = np.interp(ni, xi, [hyp["warmup_momentum"], hyp["momentum"]])
        with fabric.no_backward_sync(model, enabled=not (ni - last_opt_step >= accumulate)):
            pred = model(imgs)
            loss = nn.functional.smooth_l1_loss(pred, targets)
            fabric.backward(loss)
        if ni - last_opt_step >= accumulate:
            optimizer.step()
            optimizer.zero_grad()
            last_opt_step = ni
        mloss = (mloss * i + loss.detach()) / (i + 1)
    lr = [x["lr"] for x in optimizer.param_groups]
    scheduler.step()
    fabric.print(f"epoch {epoch} mloss {mloss.item():.4f} lr {lr[0]:.5f} {lr[1]:.5f}")
