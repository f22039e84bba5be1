import time

import torch
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
x = torch.randn(256, 5)
y = x @ torch.randn(5, 1)
loader = DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True)
model = torch.nn.Linear(5, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
budget_seconds = 10 * 60
start = time.time()
out_of_time = False
for epoch in range(50):
    for xb, yb in loader:
        loss = torch.nn.functional.mse_loss(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if time.time() - start > budget_seconds:
            out_of_time = True
            break
    print(f"epoch {epoch} loss {loss.item():.5f}")
    if out_of_time:
        print(f"stopped: out of time after epoch {epoch}")
        break
