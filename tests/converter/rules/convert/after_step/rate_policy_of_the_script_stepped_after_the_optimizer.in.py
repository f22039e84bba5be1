import torch
from torch.utils.data import DataLoader, TensorDataset


class LinearWarmup:
    def __init__(self, optimizer, steps):
        self.optimizer, self.steps, self.done = optimizer, steps, 0

    def step(self):
        self.done += 1
        for group in self.optimizer.param_groups:
            group["lr"] = 0.1 * min(1.0, self.done / self.steps)


model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.0)
scheduler = LinearWarmup(optimizer, steps=4)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)
for epoch in range(2):
    for x, y in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        scheduler.step()
