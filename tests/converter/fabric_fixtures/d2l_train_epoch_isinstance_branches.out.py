# t2l-fixture: verify --steps 40
"""Dive into Deep Learning's shape: an Accumulator of sums, train_epoch_ch3 with `isinstance(net, nn.Module)` and
`isinstance(updater, torch.optim.Optimizer)` branches (a hand-written updater otherwise), a `reduction="none"` loss
averaged for the optimizer, the optimizer built at module level and handed down two calls, evaluate_accuracy."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


class Accumulator:
    """For accumulating sums over n variables."""

    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def reset(self):
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx):
        return self.data[idx]


def accuracy(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())


def evaluate_accuracy(net, data_iter):
    if isinstance(net, torch.nn.Module):
        net.eval()
    metric = Accumulator(2)
    with torch.no_grad():
        for X, y in data_iter:
            metric.add(accuracy(net(X), y), y.numel())
    return metric[0] / metric[1]


def train_epoch_ch3(net, train_iter, loss, updater):
    if isinstance(net, torch.nn.Module):
        net.train()
    metric = Accumulator(3)
    for X, y in train_iter:
        y_hat = net(X)
        l = loss(y_hat, y)
        if isinstance(updater, torch.optim.Optimizer):
            updater.zero_grad()
            fabric.backward(l.mean())
            updater.step()
        else:
            fabric.backward(l.sum())
            updater(X.shape[0])
        metric.add(float(l.sum()), accuracy(y_hat, y), y.numel())
    return metric[0] / metric[2], metric[1] / metric[2]


def train_ch3(net, train_iter, test_iter, loss, num_epochs, updater):
    for epoch in range(num_epochs):
        train_metrics = train_epoch_ch3(net, train_iter, loss, updater)
        test_acc = evaluate_accuracy(net, test_iter)
        fabric.print(f"epoch {epoch + 1}: loss {train_metrics[0]:.4f}, train acc {train_metrics[1]:.3f}, test acc {test_acc:.3f}")
    train_loss, train_acc = train_metrics
    fabric.print(f"final loss {train_loss:.4f} acc {train_acc:.3f}")


torch.manual_seed(0)
images = torch.randn(256, 1, 8, 8)
labels = torch.randint(0, 10, (256,))
train_iter = DataLoader(TensorDataset(images[:192], labels[:192]), batch_size=32, shuffle=True)
train_iter = fabric.setup_dataloaders(train_iter)
test_iter = DataLoader(TensorDataset(images[192:], labels[192:]), batch_size=32)
test_iter = fabric.setup_dataloaders(test_iter)

net = nn.Sequential(nn.Flatten(), nn.Linear(64, 10))


def init_weights(m):
    if type(m) == nn.Linear:
        nn.init.normal_(m.weight, std=0.01)


net.apply(init_weights)
loss = nn.CrossEntropyLoss(reduction="none")
trainer = torch.optim.SGD(net.parameters(), lr=0.1)
net, trainer = fabric.setup(net, trainer)
num_epochs = 3
train_ch3(net, train_iter, test_iter, loss, num_epochs, trainer)
