import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.RNNCell(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)

for epoch in range(2):
    hidden = torch.zeros(4, 1)
    for x, y in loader:
        optimizer.zero_grad()
        hidden = model(x, hidden.detach())
        loss = torch.nn.functional.mse_loss(hidden, y)
        loss.backward()
        optimizer.step()
