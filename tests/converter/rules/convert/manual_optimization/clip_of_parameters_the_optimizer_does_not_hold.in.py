import torch
from torch.utils.data import DataLoader, TensorDataset

backbone = torch.nn.Linear(4, 8)
model = torch.nn.Sequential(backbone, torch.nn.ReLU(), torch.nn.Linear(8, 1))
optimizer = torch.optim.SGD(model[2].parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)

for epoch in range(2):
    for x, y in loader:
        model.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        optimizer.step()
