"""torch reseeded at each epoch's start, before the shuffling loader starts."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Subset, TensorDataset

torch.manual_seed(0)
x = torch.randn(200, 6)
y = x @ torch.randn(6, 1)
dataset = TensorDataset(x, y)
loader = DataLoader(dataset, batch_size=25, shuffle=True)
model = nn.Linear(6, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)

for epoch in range(4):
    torch.manual_seed(100 + epoch)
    total = 0.0
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(xb), yb)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(xb)
    print(f"epoch {epoch}: {len(dataset)} samples, loss {total / len(dataset):.5f}")
