"""The script's own DistributedSampler stays (Fabric keeps it, set_epoch works); the group set up inline goes; a
function the rank is never read in takes the Fabric object without a `rank =` line."""
import torch
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset
from lightning_fabric import Fabric


def train(fabric, world_size):
    dataset = TensorDataset(torch.randn(64, 4), torch.randn(64, 1))
    sampler = DistributedSampler(dataset)
    loader = DataLoader(dataset, batch_size=8, sampler=sampler)
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    model, optimizer = fabric.setup(model, optimizer)
    for epoch in range(2):
        sampler.set_epoch(epoch)
        for x, y in loader:
            optimizer.zero_grad()
            fabric.backward(torch.nn.functional.mse_loss(model(x), y))
            optimizer.step()


if __name__ == "__main__":
    world_size = torch.cuda.device_count()
    fabric = Fabric(accelerator="cuda", strategy="ddp", devices=world_size)
    fabric.launch(train, world_size)
