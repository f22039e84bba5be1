"""The wrapper goes where Fabric sets up what it wrapped: here the optimizer is built over the wrapper."""
import torch
from lightning_fabric import Fabric


def main(fabric):
    rank = fabric.global_rank
    model = torch.nn.Linear(4, 1)
    ddp_model = model
    optimizer = torch.optim.Adam(ddp_model.parameters())
    ddp_model, optimizer = fabric.setup(ddp_model, optimizer)
    for _ in range(3):
        optimizer.zero_grad()
        fabric.backward(ddp_model(torch.randn(8, 4)).sum())
        optimizer.step()


if __name__ == "__main__":
    fabric = Fabric(accelerator="cpu", strategy="ddp", devices=4)
    fabric.launch(main)
