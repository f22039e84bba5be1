from itertools import count

import torch

model = torch.nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
w = torch.randn(3, 1)


def get_batch():
    x = torch.randn(16, 3)
    return x, x @ w


for it in count(1):
    x, y = get_batch()
    loss = torch.nn.functional.mse_loss(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if loss.item() < 1e-2:
        break

print(f"loss {loss.item():.4f} after {it} batches")
