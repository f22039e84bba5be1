# t2l-fixture: verify --steps 24
"""Resumable training (the ImageNet-example shape): `--resume PATH` loads the model's, the optimizer's and the
scheduler's state and the epoch to start from; a checkpoint is written at every epoch's end."""
import argparse
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=4)
parser.add_argument("--lr", type=float, default=0.1)
parser.add_argument("--resume", default="", help="path to a checkpoint to resume from")
args = parser.parse_args()

torch.manual_seed(0)
features = torch.randn(192, 10)
labels = (features[:, :3].sum(1) > 0).long()
train_loader = DataLoader(TensorDataset(features, labels), batch_size=32, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(10, 24)
        self.out = nn.Linear(24, 2)

    def forward(self, x):
        return self.out(F.relu(self.hidden(x)))


model = Classifier()
optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=1e-4)
model, optimizer = fabric.setup(model, optimizer)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.7)

start_epoch = 0
# optionally resume from a checkpoint
if args.resume:
    if os.path.isfile(args.resume):
        fabric.print(f"=> loading checkpoint '{args.resume}'")
        checkpoint = torch.load(args.resume)
        start_epoch = checkpoint["epoch"]
        model.load_state_dict(checkpoint["state_dict"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        scheduler.load_state_dict(checkpoint["scheduler"])
    else:
        fabric.print(f"=> no checkpoint found at '{args.resume}'")

for epoch in range(start_epoch, args.epochs):
    model.train()
    for x, y in train_loader:
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        fabric.backward(loss)
        optimizer.step()
    scheduler.step()
    fabric.print(f"epoch {epoch} loss {loss.item():.4f}")
    state = {"epoch": epoch + 1, "state_dict": model.state_dict(), "optimizer": optimizer.state_dict(),
             "scheduler": scheduler.state_dict()}
    torch.save(state, "checkpoint.pth.tar")
