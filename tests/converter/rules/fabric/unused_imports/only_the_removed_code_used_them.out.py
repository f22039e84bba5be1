"""The imports only the removed process-group code used go (a `from` import keeps the names still used); `os`
stays, read elsewhere, and so does `torch.distributed`, whose `all_reduce` the script still calls."""
import os

import torch
import torch.distributed as dist
from torch.distributed import barrier
from lightning_fabric import Fabric


def run(fabric, world_size):
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    model, optimizer = fabric.setup(model, optimizer)
    for _ in range(3):
        optimizer.zero_grad()
        loss = model(torch.randn(8, 4)).pow(2).mean()
        fabric.backward(loss)
        optimizer.step()
        dist.all_reduce(loss.detach())
    barrier()
    fabric.print(os.getpid(), loss.item())


if __name__ == "__main__":
    fabric = Fabric(accelerator="cpu", strategy="ddp", devices=2)
    fabric.launch(run, 2)
