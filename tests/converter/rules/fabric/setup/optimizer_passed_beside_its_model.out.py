import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


def train(model, criterion, optimizer, dataloader, epochs):
    for epoch in range(epochs):
        for inputs, labels in dataloader:
            optimizer.zero_grad()
            loss = criterion(model(inputs), labels)
            fabric.backward(loss)
            optimizer.step()
        fabric.print(f"epoch {epoch}: {loss.item():.5f}")


torch.manual_seed(42)
loader = DataLoader(TensorDataset(torch.randn(40, 5), torch.randint(0, 2, (40,))), batch_size=8, shuffle=True)
loader = fabric.setup_dataloaders(loader)
net = nn.Sequential(nn.Linear(5, 10), nn.ReLU(), nn.Linear(10, 2))
net = fabric.setup_module(net)
train(net, nn.CrossEntropyLoss(), fabric.setup_optimizers(torch.optim.Adam(net.parameters(), lr=0.01)), loader, 2)
train(net, nn.CrossEntropyLoss(), fabric.setup_optimizers(torch.optim.SGD(net.parameters(), lr=0.01)), loader, 1)
