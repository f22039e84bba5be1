import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def train_epoch(net, loader, loss, updater):
    if isinstance(net, nn.Module):
        net.train()
    for X, y in loader:
        l = loss(net(X), y)
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad()
            l.mean().backward()
            updater.step()
        else:
            l.sum().backward()
            updater(X.shape[0])


net = nn.Linear(4, 2)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randint(0, 2, (32,))), batch_size=8)
trainer = torch.optim.SGD(net.parameters(), lr=0.1)
for epoch in range(2):
    train_epoch(net, loader, nn.CrossEntropyLoss(reduction="none"), trainer)
