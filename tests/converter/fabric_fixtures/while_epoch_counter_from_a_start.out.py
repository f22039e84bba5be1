# t2l-fixture: verify --steps 13
"""A `while epoch <= num_epochs:` loop that counts epochs (`epoch += 1` after the batch loop), from a start epoch."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


def train(model, loader, start_epoch, num_epochs):
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    model, optimizer = fabric.setup(model, optimizer)
    epoch = start_epoch
    while epoch <= num_epochs:
        model.train()
        running = 0.0
        for step, (x, y) in enumerate(loader):
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            fabric.backward(loss)
            optimizer.step()
            running += loss.item()
        fabric.print(f"epoch {epoch}: {running / len(loader):.4f}")
        epoch += 1
    fabric.print("stopped at", epoch)
    return model


if __name__ == "__main__":
    torch.manual_seed(0)
    data = TensorDataset(torch.randn(40, 6), torch.randint(0, 3, (40,)))
    net = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 3))
    train(net, DataLoader(data, batch_size=10, shuffle=True), 1, 3)
    fabric.print(net[0].weight.sum().item())
