import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=4)

for epoch in range(2):
    running_loss = 0.0
    for step, (x, y) in enumerate(loader):
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss = loss / 2
        loss.backward()
        running_loss += loss.item()
        if (step + 1) % 2 == 0 or step + 1 == len(loader):
            optimizer.step()
            optimizer.zero_grad()
    print(epoch, running_loss)
