import itertools

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(8)
train = DataLoader(TensorDataset(torch.randn(36, 3), torch.randn(36, 1)), batch_size=12, shuffle=True)
model = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 1))
opt = torch.optim.Adam(model.parameters(), lr=0.03)
best, bad_epochs, patience = float("inf"), 0, 2

for epoch in itertools.count(1):
    total = 0.0
    for xb, yb in train:
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(xb), yb)
        loss.backward()
        opt.step()
        total += loss.item()
    if total < best:
        best, bad_epochs = total, 0
    else:
        bad_epochs += 1
    print(f"epoch {epoch}: {total:.4f}")
    if bad_epochs > patience or epoch >= 5:
        break
