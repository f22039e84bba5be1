# t2l-fixture: verify --steps 30
"""The DINO / MAE training shape: learning-rate and weight-decay schedules precomputed as numpy arrays and indexed
by the global iteration (`it = len(loader) * epoch + i`), written into the param groups each batch (weight decay
only in the first group), a non-finite loss stops the run with sys.exit, an EMA teacher with a momentum schedule,
and train_one_epoch returning a stats dict written as a JSON line per epoch. The schedules are arrays, not
schedulers (no optimizer in them); the teacher's update after the step goes to on_train_batch_end, which computes
the global iteration again from the batch index."""
import json
import math
import sys

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


def cosine_scheduler(base_value, final_value, epochs, niter_per_ep, warmup_epochs=0, start_warmup_value=0):
    warmup_schedule = np.array([])
    warmup_iters = warmup_epochs * niter_per_ep
    if warmup_epochs > 0:
        warmup_schedule = np.linspace(start_warmup_value, base_value, warmup_iters)
    iters = np.arange(epochs * niter_per_ep - warmup_iters)
    schedule = final_value + 0.5 * (base_value - final_value) * (1 + np.cos(np.pi * iters / len(iters)))
    schedule = np.concatenate((warmup_schedule, schedule))
    return schedule


torch.manual_seed(0)
data_loader = DataLoader(TensorDataset(torch.randn(256, 12)), batch_size=32, shuffle=True)
data_loader = fabric.setup_dataloaders(data_loader)
student = nn.Sequential(nn.Linear(12, 32), nn.GELU(), nn.Linear(32, 8))
teacher = nn.Sequential(nn.Linear(12, 32), nn.GELU(), nn.Linear(32, 8))
teacher.load_state_dict(student.state_dict())
for p in teacher.parameters():
    p.requires_grad = False
regularized = [p for n, p in student.named_parameters() if not n.endswith(".bias")]
not_regularized = [p for n, p in student.named_parameters() if n.endswith(".bias")]
optimizer = torch.optim.AdamW([{"params": regularized}, {"params": not_regularized, "weight_decay": 0.0}])
student, optimizer = fabric.setup(student, optimizer)
epochs = 3
lr_schedule = cosine_scheduler(5e-3, 1e-5, epochs, len(data_loader), warmup_epochs=1)
wd_schedule = cosine_scheduler(0.04, 0.4, epochs, len(data_loader))
momentum_schedule = cosine_scheduler(0.996, 1, epochs, len(data_loader))


def train_one_epoch(student, teacher, data_loader, optimizer, lr_schedule, wd_schedule, momentum_schedule, epoch):
    total, count = 0.0, 0
    for it, (images,) in enumerate(data_loader):
        it = len(data_loader) * epoch + it
        for i, param_group in enumerate(optimizer.param_groups):
            param_group["lr"] = lr_schedule[it]
            if i == 0:
                param_group["weight_decay"] = wd_schedule[it]
        noisy = images + 0.1 * torch.randn_like(images)
        with torch.no_grad():
            target = teacher(images).softmax(-1)
        loss = torch.sum(-target * student(noisy).log_softmax(-1), dim=-1).mean()
        if not math.isfinite(loss.item()):
            fabric.print("Loss is {}, stopping training".format(loss.item()))
            sys.exit(1)
        optimizer.zero_grad()
        fabric.backward(loss)
        optimizer.step()
        with torch.no_grad():
            m = momentum_schedule[it]
            for param_q, param_k in zip(student.parameters(), teacher.parameters()):
                param_k.data.mul_(m).add_((1 - m) * param_q.detach().data)
        total += loss.item()
        count += 1
    return {"loss": total / count, "lr": optimizer.param_groups[0]["lr"], "wd": optimizer.param_groups[0]["weight_decay"]}


for epoch in range(epochs):
    train_stats = train_one_epoch(student, teacher, data_loader, optimizer, lr_schedule, wd_schedule, momentum_schedule, epoch)
    log_stats = {**{f"train_{k}": v for k, v in train_stats.items()}, "epoch": epoch}
    with open("log.txt", "a") as f:
        f.write(json.dumps(log_stats) + "\n")
    fabric.print(json.dumps(log_stats))
