import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)
step = 0
for epoch in range(2):
    for x, y in loader:
        step += 1
        weight = min(1.0, step / 4)  # the loop has counted this batch already: 1 on the first
        optimizer.zero_grad()
        loss = weight * torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
