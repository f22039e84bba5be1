import torch
from torch.utils.data import DataLoader, TensorDataset

train_set = TensorDataset(torch.randn(12, 3), torch.randn(12, 1))
val_set = TensorDataset(torch.randn(6, 3), torch.randn(6, 1))
model = torch.nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)


def train_epoch(model, optimizer):
    loader = DataLoader(train_set, batch_size=4, shuffle=True)
    for x, y in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()


def evaluate(model):
    loader = DataLoader(val_set, batch_size=3)
    with torch.no_grad():
        for x, y in loader:
            loss = torch.nn.functional.mse_loss(model(x), y)


for epoch in range(2):
    train_epoch(model, optimizer)
    evaluate(model)
