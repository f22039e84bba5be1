import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)
lr = 0.1
for epoch in range(3):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)  # momentum restarts each epoch
    for x, y in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
    lr *= 0.5
