import os

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel as DDP
from lightning_fabric import Fabric

# TODO(t2l): T2L942 devices and processes by hand (init_process_group, DistributedDataParallel, DataParallel, DistributedSampler, mp.spawn): kept; Fabric(strategy="ddp", devices=N) and fabric.setup do it
dist.init_process_group("gloo")
device = torch.device("cpu")
fabric = Fabric(accelerator=device.type, devices=1)
fabric.launch()
# TODO(t2l): T2L942 devices and processes by hand (init_process_group, DistributedDataParallel, DataParallel, DistributedSampler, mp.spawn): kept; Fabric(strategy="ddp", devices=N) and fabric.setup do it
model = DDP(torch.nn.Linear(4, 1).to(device))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
for step in range(3):
    loss = model(torch.randn(8, 4)).pow(2).mean()
    optimizer.zero_grad()
    fabric.backward(loss)
    optimizer.step()
if int(os.environ["RANK"]) == 0:
    torch.save(model.module.state_dict(), "model.pt")
