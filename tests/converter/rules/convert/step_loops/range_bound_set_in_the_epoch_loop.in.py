import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
source = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)
target = DataLoader(TensorDataset(torch.randn(12, 4), torch.randn(12, 1)), batch_size=4)

for epoch in range(2):
    steps = min(len(source), len(target))
    source_iter, target_iter = iter(source), iter(target)
    for i in range(steps):
        xs, ys = next(source_iter)
        xt, yt = next(target_iter)
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(xs), ys) + torch.nn.functional.mse_loss(model(xt), yt)
        loss.backward()
        optimizer.step()
