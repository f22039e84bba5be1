import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)
it = 1  # from 1: not self.global_step
hard = 0
for epoch in range(2):
    for x, y in loader:
        optimizer.zero_grad()
        loss = (1 + hard) / it * torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        it += 1
        if loss.item() > 1.0:  # counts some batches: not self.global_step
            hard += 1
print(it, hard)
