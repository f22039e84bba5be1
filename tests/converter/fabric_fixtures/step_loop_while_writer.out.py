# t2l-fixture: verify --steps 14 -- --max-steps 14
"""A step-budget loop: `while step < max_steps` around the loader, a SummaryWriter, a global step counter."""
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.tensorboard import SummaryWriter
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

parser = argparse.ArgumentParser()
parser.add_argument("--max-steps", type=int, default=30)
parser.add_argument("--logdir", default="runs/regression")
args = parser.parse_args()

torch.manual_seed(11)
loader = DataLoader(TensorDataset(torch.randn(40, 5), torch.randn(40, 1)), batch_size=8, shuffle=True)
loader = fabric.setup_dataloaders(loader)
model = nn.Linear(5, 1)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
model, optimizer = fabric.setup(model, optimizer)
loss_fn = nn.MSELoss()
writer = SummaryWriter(args.logdir)

step = 0
while step < args.max_steps:
    for features, target in loader:
        loss = loss_fn(model(features), target)
        optimizer.zero_grad()
        fabric.backward(loss)
        optimizer.step()
        writer.add_scalar("loss/train", loss.item(), step)
        step += 1
        if step >= args.max_steps:
            break
writer.close()
