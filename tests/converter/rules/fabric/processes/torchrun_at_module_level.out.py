"""A script for torchrun at module level: the process group from its environment becomes the Fabric object; the
wrapper around the model Fabric sets up goes."""
import os

import torch
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", strategy="ddp", devices=int(os.environ["LOCAL_WORLD_SIZE"]), num_nodes=int(os.environ["WORLD_SIZE"]) // int(os.environ["LOCAL_WORLD_SIZE"]))
fabric.launch()
device = torch.device("cpu")
model = torch.nn.Linear(4, 1).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
for step in range(3):
    loss = model(torch.randn(8, 4)).pow(2).mean()
    optimizer.zero_grad()
    fabric.backward(loss)
    optimizer.step()
if int(os.environ["RANK"]) == 0:
    torch.save(model.module.state_dict(), "model.pt")
