import torch
from tqdm import tqdm

data, target = torch.randn(64, 4), torch.randn(64, 1)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)


def batches(size):
    for start in range(0, len(data), size):
        yield data[start : start + size], target[start : start + size]


for epoch in range(3):
    bar = tqdm(batches(16))  # the generator reaches fit through the bar: the helper class must come with it
    for x, y in bar:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
