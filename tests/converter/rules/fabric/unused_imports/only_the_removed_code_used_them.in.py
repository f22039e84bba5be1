"""The imports only the removed process-group code used go (a `from` import keeps the names still used); `os`
stays, read elsewhere, and so does `torch.distributed`, whose `all_reduce` the script still calls."""
import os

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch.distributed import barrier, destroy_process_group, init_process_group


def run(rank, world_size):
    os.environ["MASTER_ADDR"] = "localhost"
    os.environ["MASTER_PORT"] = "29500"
    init_process_group("gloo", rank=rank, world_size=world_size)
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(3):
        optimizer.zero_grad()
        loss = model(torch.randn(8, 4)).pow(2).mean()
        loss.backward()
        optimizer.step()
        dist.all_reduce(loss.detach())
    barrier()
    print(os.getpid(), loss.item())
    destroy_process_group()


if __name__ == "__main__":
    mp.spawn(run, args=(2,), nprocs=2)
