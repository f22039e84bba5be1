import copy

import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 1)
average = copy.deepcopy(model)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(30, 4), torch.randn(30, 1)), batch_size=4)
global_step = 0

for epoch in range(2):
    for i, (x, y) in enumerate(loader):
        loss = torch.nn.functional.mse_loss(model(x), y) / 2
        loss.backward()
        if i % 2 == 1 or i == len(loader) - 1:
            optimizer.step()
            optimizer.zero_grad()
            if global_step % 3 == 0:  # read after the step: the steps before this one (a lookahead's sync)
                with torch.no_grad():
                    for a, p in zip(average.parameters(), model.parameters()):
                        a.add_(0.5 * (p - a))
                        p.copy_(a)
            global_step += 1
