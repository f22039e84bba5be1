import matplotlib.pyplot as plt
import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(2, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(8, 2), torch.randn(8, 1)), batch_size=4)


def plot_points(xs, ys, labels):
    for px, py, s in zip(xs, ys, labels):
        plt.text(px, py, str(s))


def evaluate(data):
    total = 0.0
    for x, y in data:
        total += torch.nn.functional.mse_loss(model(x), y).item()
    return total


for epoch in range(2):
    for x, y in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        plot_points(x[:, 0].tolist(), x[:, 1].tolist(), y[:, 0].tolist())
    evaluate(loader)
