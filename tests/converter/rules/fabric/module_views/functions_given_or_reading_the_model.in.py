import torch
from torch import nn


def freeze_norms():
    for name, module in model.named_modules():
        if name.startswith("body.") and isinstance(module, nn.BatchNorm1d):
            module.eval()


def count_parameters(net):
    return {name: p.numel() for name, p in net.named_parameters()}


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU())
        self.head = nn.Linear(8, 2)

    def forward(self, x):
        return self.head(self.body(x))


model = Net()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
print(count_parameters(model))
for epoch in range(3):
    model.train()
    freeze_norms()
    for x, y in loader:
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
print(model)
print(f"trained a {model.__class__.__name__}")
