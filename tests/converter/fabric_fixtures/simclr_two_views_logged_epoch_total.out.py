# t2l-fixture: verify --steps 20
"""SimCLR's training shape: each batch holds two augmented views, unpacked in the loop's target
(`for (x_i, x_j), _ in loader:`), an NT-Xent loss written in the script, and a cosine schedule stepped per epoch
after a warmup of 1 epoch (`if epoch >= 1: scheduler.step()`), the mean loss logged with `logging`. `loss_epoch = train(...)` of
a function that ends `return loss_epoch`: the epoch total already holds it (no `self.loss_epoch = self.loss_epoch`)."""
import logging

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

logging.basicConfig(level=logging.INFO)
logger = logging.getLogger(__name__)
torch.manual_seed(0)


class TwoViews(Dataset):
    def __init__(self, n=64):
        g = torch.Generator().manual_seed(2)
        self.x = torch.randn(n, 12, generator=g)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        x = self.x[i]
        return (x + 0.1 * torch.sin(x), x * 0.9), 0


def nt_xent(z_i, z_j, temperature=0.5):
    n = z_i.size(0)
    z = F.normalize(torch.cat([z_i, z_j]), dim=1)
    sim = z @ z.t() / temperature
    sim.fill_diagonal_(float("-inf"))
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, targets)


class SimCLR(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 16))
        self.projector = nn.Sequential(nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 8))

    def forward(self, x_i, x_j):
        h_i, h_j = self.encoder(x_i), self.encoder(x_j)
        return h_i, h_j, self.projector(h_i), self.projector(h_j)


def train(train_loader, model, criterion, optimizer):
    loss_epoch = 0
    for step, ((x_i, x_j), _) in enumerate(train_loader):
        optimizer.zero_grad()
        h_i, h_j, z_i, z_j = model(x_i, x_j)
        loss = criterion(z_i, z_j)
        fabric.backward(loss)
        optimizer.step()
        if step % 4 == 0:
            logger.info(f"Step [{step}/{len(train_loader)}]\t Loss: {loss.item()}")
        loss_epoch += loss.item()
    return loss_epoch


model = SimCLR()
optimizer = torch.optim.Adam(model.parameters(), lr=3e-4)
model, optimizer = fabric.setup(model, optimizer)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, 4, eta_min=0, last_epoch=-1)
loader = DataLoader(TwoViews(), batch_size=16, shuffle=True, drop_last=True)
loader = fabric.setup_dataloaders(loader)
for epoch in range(4):
    lr = optimizer.param_groups[0]["lr"]
    loss_epoch = train(loader, model, nt_xent, optimizer)
    if epoch >= 1:
        scheduler.step()
    logger.info(f"Epoch [{epoch}/4]\t Loss: {loss_epoch / len(loader)}\t lr: {round(lr, 5)}")
