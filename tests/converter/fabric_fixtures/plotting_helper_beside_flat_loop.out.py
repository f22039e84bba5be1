# t2l-fixture: verify --steps 12
"""A small classifier trained in a flat loop, a plotting helper beside it called every 10 steps (the
tutorial-collection shape): the helper's loop over points runs no model, so it is not an evaluation loop."""
import matplotlib
import matplotlib.pyplot as plt
import torch
import torch.nn as nn
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

matplotlib.use("Agg")
torch.manual_seed(1)

x = torch.cat([torch.randn(100, 2) + 2, torch.randn(100, 2) - 2])
y = torch.cat([torch.zeros(100), torch.ones(100)]).long()

net = nn.Sequential(nn.Linear(2, 10), nn.ReLU(), nn.Linear(10, 2))
optimizer = torch.optim.SGD(net.parameters(), lr=0.02)
net, optimizer = fabric.setup(net, optimizer)
loss_func = nn.CrossEntropyLoss()


def plot_with_labels(X, Y, labels):
    plt.cla()
    for px, py, s in zip(X, Y, labels):
        plt.text(px, py, str(s))


for t in range(20):
    out = net(x)
    loss = loss_func(out, y)
    optimizer.zero_grad()
    fabric.backward(loss)
    optimizer.step()
    if t % 10 == 0:
        prediction = torch.max(out, 1)[1]
        plot_with_labels(x[:, 0].tolist(), x[:, 1].tolist(), prediction.tolist())
