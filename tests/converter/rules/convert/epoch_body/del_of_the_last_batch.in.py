import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def train(loader, model, optimizer):
    for images, targets in loader:
        predicted = model(images)
        loss = nn.functional.mse_loss(predicted, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    del predicted, images, targets


model = nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)
for epoch in range(2):
    train(loader, model, optimizer)
