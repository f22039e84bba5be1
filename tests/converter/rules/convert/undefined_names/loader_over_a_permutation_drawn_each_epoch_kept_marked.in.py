import torch
from torch.utils.data import DataLoader, Subset, TensorDataset

data = TensorDataset(torch.randn(64, 6), torch.randn(64, 1))
model = torch.nn.Linear(6, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

for epoch in range(3):
    order = torch.randperm(len(data))[:32].tolist()
    loader = DataLoader(Subset(data, order), batch_size=16)
    for x, y in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
