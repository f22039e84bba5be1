import os  # noqa: F401  (never read by the input: kept for whatever importing it does)
import torch
import torch.nn.functional as F
from tqdm import tqdm, trange
from torch.utils.data import DataLoader, TensorDataset

loader = DataLoader(TensorDataset(torch.randn(8, 3), torch.randn(8, 1)), batch_size=4)
model = torch.nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)


def train_epoch():
    for x, y in tqdm(loader):
        optimizer.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()


for epoch in range(2):
    train_epoch()
for _ in trange(1):
    print(F.mse_loss(model(torch.ones(1, 3)), torch.zeros(1, 1)).item())
