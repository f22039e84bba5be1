import torch
from torch.utils.data import DataLoader, TensorDataset

regressor = torch.nn.Sequential(torch.nn.Linear(5, 16), torch.nn.Dropout(0.2), torch.nn.Linear(16, 1))
sgd = torch.optim.SGD(regressor.parameters(), lr=0.05)
pairs = DataLoader(TensorDataset(torch.randn(40, 5), torch.randn(40, 1)), batch_size=10, shuffle=True)
for epoch in range(2):
    for inputs, targets in pairs:
        sgd.zero_grad()
        torch.nn.functional.smooth_l1_loss(regressor(inputs), targets).backward()
        sgd.step()
