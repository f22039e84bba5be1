"""mp.spawn -> Fabric's launch; the setup and cleanup functions, left empty, go with their calls."""

import torch
from lightning_fabric import Fabric


def run(fabric, world_size, steps):
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    model, optimizer = fabric.setup(model, optimizer)
    for _ in range(steps):
        optimizer.zero_grad()
        fabric.backward(model(torch.randn(8, 4)).pow(2).mean())
        optimizer.step()


if __name__ == "__main__":
    fabric = Fabric(accelerator="cpu", strategy="ddp", devices=2)
    fabric.launch(run, 2, 10)
