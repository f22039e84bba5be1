# t2l-fixture: verify --steps 40
"""The MAE / DeiT-III engine shape: `adjust_learning_rate(optimizer, data_iter_step / len(data_loader) + epoch, args)`
at the start of each accumulation window (a half-cycle cosine with warmup written by hand, `lr_scale` per group),
the loss divided by accum_iter, the step every accum_iter batches, and a metric dict returned per epoch. The window
is the function's local `accum_iter = args.accum_iter`: Trainer(accumulate_grad_batches=args.accum_iter) at the site."""
import argparse
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=3)
parser.add_argument("--warmup_epochs", type=int, default=1)
parser.add_argument("--lr", type=float, default=4e-3)
parser.add_argument("--min_lr", type=float, default=1e-5)
parser.add_argument("--accum_iter", type=int, default=2)
args = parser.parse_args()


def adjust_learning_rate(optimizer, epoch, args):
    if epoch < args.warmup_epochs:
        lr = args.lr * epoch / args.warmup_epochs
    else:
        lr = args.min_lr + (args.lr - args.min_lr) * 0.5 * (1.0 + math.cos(math.pi * (epoch - args.warmup_epochs) / (args.epochs - args.warmup_epochs)))
    for param_group in optimizer.param_groups:
        if "lr_scale" in param_group:
            param_group["lr"] = lr * param_group["lr_scale"]
        else:
            param_group["lr"] = lr
    return lr


torch.manual_seed(0)
data_loader = DataLoader(TensorDataset(torch.randn(192, 16)), batch_size=16, shuffle=True)
data_loader = fabric.setup_dataloaders(data_loader)
model = nn.Sequential(nn.Linear(16, 8), nn.GELU(), nn.Linear(8, 16))
optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.95))
model, optimizer = fabric.setup(model, optimizer)


def train_one_epoch(model, data_loader, optimizer, epoch, args):
    model.train(True)
    accum_iter = args.accum_iter
    optimizer.zero_grad()
    losses = []
    for data_iter_step, (samples,) in enumerate(data_loader):
        if data_iter_step % accum_iter == 0:
            adjust_learning_rate(optimizer, data_iter_step / len(data_loader) + epoch, args)
        mask = (torch.rand_like(samples) > 0.75).float()
        with fabric.no_backward_sync(model, enabled=(data_iter_step + 1) % accum_iter != 0):
            loss = ((model(samples * mask) - samples) ** 2).mean()
            loss_value = loss.item()
            loss /= accum_iter
            fabric.backward(loss)
        if (data_iter_step + 1) % accum_iter == 0:
            optimizer.step()
            optimizer.zero_grad()
        losses.append(loss_value)
    return {"loss": sum(losses) / len(losses), "lr": optimizer.param_groups[0]["lr"]}


for epoch in range(args.epochs):
    train_stats = train_one_epoch(model, data_loader, optimizer, epoch, args)
    fabric.print(epoch, train_stats)
