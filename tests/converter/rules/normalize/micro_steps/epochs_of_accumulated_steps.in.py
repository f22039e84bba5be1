import torch
from torch.utils.data import DataLoader, TensorDataset

train = DataLoader(TensorDataset(torch.randn(48, 5), torch.randn(48, 1)), batch_size=4, shuffle=True)
model = torch.nn.Linear(5, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
ACCUM, STEPS_PER_EPOCH = 3, 4

for epoch in range(3):
    batches = iter(train)
    for step in range(STEPS_PER_EPOCH):
        for _ in range(ACCUM):
            x, y = next(batches)
            loss = torch.nn.functional.mse_loss(model(x), y) / ACCUM
            loss.backward()
        optimizer.step()
        optimizer.zero_grad()
