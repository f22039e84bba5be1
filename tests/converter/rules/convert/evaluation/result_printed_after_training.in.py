import torch
from torch.utils.data import DataLoader, TensorDataset

net = torch.nn.Sequential(torch.nn.Linear(6, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))
opt = torch.optim.Adam(net.parameters(), lr=1e-2)
train_loader = DataLoader(TensorDataset(torch.randn(48, 6), torch.randint(0, 3, (48,))), batch_size=12)
test_loader = DataLoader(TensorDataset(torch.randn(24, 6), torch.randint(0, 3, (24,))), batch_size=12)


def accuracy(loader):
    correct = 0
    with torch.no_grad():
        for inputs, labels in loader:
            correct += (net(inputs).argmax(1) == labels).sum().item()
    return correct / len(loader.dataset)


for epoch in range(3):
    for inputs, labels in train_loader:
        opt.zero_grad()
        torch.nn.functional.cross_entropy(net(inputs), labels).backward()
        opt.step()

print(f"test accuracy {accuracy(test_loader):.3f}")  # the value itself: trainer.test would print logged metrics
