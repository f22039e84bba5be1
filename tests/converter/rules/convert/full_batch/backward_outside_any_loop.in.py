import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)
loss = torch.nn.functional.mse_loss(model(torch.randn(2, 4)), torch.randn(2, 1))
loss.backward()
optimizer.step()
