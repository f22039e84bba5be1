"""The wrapper goes where Fabric sets up what it wrapped: here the optimizer is built over the wrapper."""
import torch
import torch.multiprocessing as mp
from torch.nn.parallel import DistributedDataParallel


def main(rank):
    model = torch.nn.Linear(4, 1)
    ddp_model = DistributedDataParallel(model, device_ids=[rank])
    optimizer = torch.optim.Adam(ddp_model.parameters())
    for _ in range(3):
        optimizer.zero_grad()
        ddp_model(torch.randn(8, 4)).sum().backward()
        optimizer.step()


if __name__ == "__main__":
    mp.spawn(main, nprocs=4)
