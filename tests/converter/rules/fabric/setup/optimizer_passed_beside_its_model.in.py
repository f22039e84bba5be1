import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def train(model, criterion, optimizer, dataloader, epochs):
    for epoch in range(epochs):
        for inputs, labels in dataloader:
            optimizer.zero_grad()
            loss = criterion(model(inputs), labels)
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch}: {loss.item():.5f}")


torch.manual_seed(42)
loader = DataLoader(TensorDataset(torch.randn(40, 5), torch.randint(0, 2, (40,))), batch_size=8, shuffle=True)
net = nn.Sequential(nn.Linear(5, 10), nn.ReLU(), nn.Linear(10, 2))
train(net, nn.CrossEntropyLoss(), torch.optim.Adam(net.parameters(), lr=0.01), loader, 2)
train(net, nn.CrossEntropyLoss(), torch.optim.SGD(net.parameters(), lr=0.01), loader, 1)
