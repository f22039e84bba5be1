import torch
from torch import nn

inputs, targets = torch.randn(64, 4), torch.randn(64, 1)


def batches(batch_size=16):
    for i in range(0, len(inputs), batch_size):
        x = inputs[i : i + batch_size]
        yield x * torch.empty_like(x).uniform_(0.9, 1.1), targets[i : i + batch_size]


def augment(x):
    return x + 0.1 * torch.randn_like(x)


model = nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(2):
    for x, y in batches():
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(augment(x)), y)
        loss.backward()
        optimizer.step()
