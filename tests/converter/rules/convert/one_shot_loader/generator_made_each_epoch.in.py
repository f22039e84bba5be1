import torch

data, target = torch.randn(64, 4), torch.randn(64, 1)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)


def batches(size):
    order = torch.randperm(len(data))  # a new order each epoch, as the loop calls batches() again
    for start in range(0, len(data), size):
        rows = order[start : start + size]
        yield data[rows], target[rows]


for epoch in range(3):
    for x, y in batches(16):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
