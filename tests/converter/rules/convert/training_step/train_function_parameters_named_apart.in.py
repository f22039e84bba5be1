import torch
from torch.utils.data import DataLoader, TensorDataset


def train(net, loader, opt):
    for i, (x, y) in enumerate(loader):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(net(x), y)
        loss.backward()
        opt.step()
        if i % 2 == 0:
            report(i, len(loader), loss.item())


def report(i, n, value):
    print(f"[{i + 1}/{n}] {value:.4f}")


torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
train_loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8, shuffle=True)
for epoch in range(3):
    train(model, train_loader, optimizer)
