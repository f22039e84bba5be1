# t2l-fixture: verify --steps 5
"""The first demo of PyTorch's DDP tutorial, on CPU: `setup` and `cleanup` functions around a flat loop, the model
wrapped before its optimizer is built over the wrapper's parameters, random batches drawn in each process, and
`mp.spawn(..., join=True)`. Under --verify each process starts from the same seed, as Fabric's do."""

import torch
import torch.nn as nn
from lightning_fabric import Fabric


class ToyModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.net1 = nn.Linear(10, 10)
        self.relu = nn.ReLU()
        self.net2 = nn.Linear(10, 5)

    def forward(self, x):
        return self.net2(self.relu(self.net1(x)))


def demo_basic(fabric, world_size):
    rank = fabric.global_rank
    fabric.print(f"Running basic DDP example on rank {rank}.")

    model = ToyModel()
    ddp_model = model
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.SGD(ddp_model.parameters(), lr=0.01)
    ddp_model, optimizer = fabric.setup(ddp_model, optimizer)

    for step in range(8):
        optimizer.zero_grad()
        outputs = ddp_model(torch.randn(20, 10) + rank)
        labels = torch.randn(20, 5)
        fabric.backward(loss_fn(outputs, labels))
        optimizer.step()


if __name__ == "__main__":
    world_size = 2
    fabric = Fabric(accelerator="cpu", strategy="ddp", devices=world_size)
    fabric.launch(demo_basic, world_size)
