# t2l-fixture: verify --steps 24 -- --epochs 2
"""A classification script with a per-batch step function in pytorch/examples style: argparse, main(), an
update() helper whose parameter names differ from the caller's, the loss returned as a tensor and printed."""
import argparse

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


def update(net, inputs, targets, opt, loss_fn, clip=1.0):
    """One optimisation step; returns the loss tensor."""
    opt.zero_grad()
    # forward and backward
    loss = loss_fn(net(inputs), targets)
    fabric.backward(loss)
    nn.utils.clip_grad_norm_(net.parameters(), clip)
    opt.step()
    return loss


def train(model, loader, optimizer, epochs):
    criterion = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        for images, labels in loader:
            loss = update(model, images, labels, optimizer, criterion)
            fabric.print(f"epoch {epoch} loss {loss.item():.4f}")


def main(argv=None):
    args = argparse.ArgumentParser()
    args.add_argument("--epochs", type=int, default=2)
    epochs = args.parse_args(argv).epochs
    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(16, 3))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    model, optimizer = fabric.setup(model, optimizer)
    data = TensorDataset(torch.randn(24, 4, 4), torch.randint(0, 3, (24,)))
    train(model, DataLoader(data, batch_size=8), optimizer, epochs=epochs)


if __name__ == "__main__":
    main()
