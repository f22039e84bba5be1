# t2l-fixture: verify --steps 13
"""Domain adaptation (DANN shape): a gradient-reversal layer, two loaders read by hand with next() in a step loop whose range the epoch loop computes."""
import numpy as np
import torch
import torch.nn as nn
from torch.autograd import Function
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


class ReverseGrad(Function):
    @staticmethod
    def forward(ctx, x, alpha):
        ctx.alpha = alpha
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        return grad.neg() * ctx.alpha, None


class DANN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Linear(6, 16), nn.ReLU())
        self.classifier = nn.Linear(16, 3)
        self.domain = nn.Linear(16, 2)

    def forward(self, x, alpha):
        f = self.features(x)
        return self.classifier(f), self.domain(ReverseGrad.apply(f, alpha))


torch.manual_seed(0)
source = DataLoader(TensorDataset(torch.randn(32, 6), torch.randint(0, 3, (32,))), batch_size=8, shuffle=True)
target = DataLoader(TensorDataset(torch.randn(32, 6) + 1.0, torch.zeros(32, dtype=torch.long)), batch_size=8, shuffle=True)
net = DANN()
optimizer = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
net, optimizer = fabric.setup(net, optimizer)
loss_class = nn.CrossEntropyLoss()
n_epoch = 3

for epoch in range(n_epoch):
    len_dataloader = min(len(source), len(target))
    source_iter, target_iter = iter(source), iter(target)
    for i in range(len_dataloader):
        p = float(i + epoch * len_dataloader) / n_epoch / len_dataloader
        alpha = 2.0 / (1.0 + np.exp(-10 * p)) - 1
        xs, ys = next(source_iter)
        xt, _ = next(target_iter)
        net.zero_grad()
        class_out, domain_s = net(xs, alpha)
        _, domain_t = net(xt, alpha)
        err = loss_class(class_out, ys) + loss_class(domain_s, torch.zeros(len(xs), dtype=torch.long)) \
            + loss_class(domain_t, torch.ones(len(xt), dtype=torch.long))
        fabric.backward(err)
        optimizer.step()
    fabric.print(f"epoch {epoch} err {err.item():.4f}")
fabric.print(net.classifier.weight.sum().item())
