import copy

import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 1)
ema_model = copy.deepcopy(model)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
train_loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=4)
val_loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)

for epoch in range(2):
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
    print("ema weight sum before its update", ema_model.weight.sum().item())
    with torch.no_grad():
        for p_ema, p in zip(ema_model.parameters(), model.parameters()):
            p_ema.mul_(0.9).add_(p, alpha=0.1)
    total = 0.0
    with torch.no_grad():
        for x, y in val_loader:
            total += torch.nn.functional.mse_loss(ema_model(x), y).item()
    print(f"epoch {epoch}: ema val {total / len(val_loader):.4f}")
