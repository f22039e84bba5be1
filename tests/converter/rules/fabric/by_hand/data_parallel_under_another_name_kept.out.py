import torch
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

model = torch.nn.Linear(4, 1)
# TODO(t2l): T2L942 devices and processes by hand (init_process_group, DistributedDataParallel, DataParallel, DistributedSampler, mp.spawn): kept; Fabric(strategy="ddp", devices=N) and fabric.setup do it
parallel_model = torch.nn.DataParallel(model)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
for step in range(3):
    loss = parallel_model(torch.randn(8, 4)).pow(2).mean()
    optimizer.zero_grad()
    fabric.backward(loss)
    optimizer.step()
