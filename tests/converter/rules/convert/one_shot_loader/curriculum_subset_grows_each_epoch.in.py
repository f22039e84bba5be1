"""A DataLoader built inside the epoch loop (curriculum: the subset grows each epoch)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Subset, TensorDataset

torch.manual_seed(0)
x = torch.randn(200, 6)
y = x @ torch.randn(6, 1)
dataset = TensorDataset(x, y)
model = nn.Linear(6, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)

for epoch in range(4):
    subset = Subset(dataset, range(50 * (epoch + 1)))
    loader = DataLoader(subset, batch_size=25, shuffle=True)
    total = 0.0
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(xb), yb)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(xb)
    print(f"epoch {epoch}: {len(subset)} samples, loss {total / len(subset):.5f}")
