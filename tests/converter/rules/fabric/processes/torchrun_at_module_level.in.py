"""A script for torchrun at module level: the process group from its environment becomes the Fabric object; the
wrapper around the model Fabric sets up goes."""
import os

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel as DDP

dist.init_process_group("gloo")
device = torch.device("cpu")
model = DDP(torch.nn.Linear(4, 1).to(device))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(3):
    loss = model(torch.randn(8, 4)).pow(2).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
if int(os.environ["RANK"]) == 0:
    torch.save(model.module.state_dict(), "model.pt")
