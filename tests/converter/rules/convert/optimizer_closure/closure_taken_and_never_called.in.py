import torch as th
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


class MomentumSGD(th.optim.Optimizer):
    def __init__(self, params, lr=0.1, momentum=0.9):
        super().__init__(params, dict(lr=lr, momentum=momentum))

    @th.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                buf = self.state[p].setdefault("buf", th.zeros_like(p))
                buf.mul_(group["momentum"]).add_(p.grad)
                p.add_(buf, alpha=-group["lr"])


model = nn.Linear(4, 1)
optimizer = MomentumSGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(th.randn(8, 4), th.randn(8, 1)), batch_size=4)
for epoch in range(2):
    for x, y in loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
