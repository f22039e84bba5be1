import torch
from torch import nn


def train_epoch(net, batches, updater):
    if isinstance(net, nn.Module):  # true of Fabric's wrapper too: the model is set up with its optimizer
        net.train()
    for X, y in batches:
        updater.zero_grad()
        nn.functional.mse_loss(net(X), y).backward()
        updater.step()


net = nn.Linear(3, 1)
trainer = torch.optim.SGD(net.parameters(), lr=0.1)
train_epoch(net, [(torch.randn(4, 3), torch.randn(4, 1))], trainer)
