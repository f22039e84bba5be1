import torch
from torch import nn
from torch.utils.data import DataLoader, IterableDataset


class SineStream(IterableDataset):
    def __iter__(self):
        for _ in range(32):
            x = torch.rand(1) * 6.28
            yield x, torch.sin(x)


model = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Dropout(0.2), nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
loader = DataLoader(SineStream(), batch_size=8)
for epoch in range(2):
    for x, y in loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
