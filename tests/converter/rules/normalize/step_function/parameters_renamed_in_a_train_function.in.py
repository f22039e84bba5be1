import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def update(net, inputs, targets, opt, loss_fn, clip=1.0):
    """One optimisation step; returns the loss tensor."""
    opt.zero_grad()
    # forward and backward
    loss = loss_fn(net(inputs), targets)
    loss.backward()
    nn.utils.clip_grad_norm_(net.parameters(), clip)
    opt.step()
    return loss


def train(model, loader, optimizer, epochs):
    criterion = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        for images, labels in loader:
            loss = update(model, images, labels, optimizer, criterion)
            print(f"epoch {epoch} loss {loss.item():.4f}")


def main():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(16, 3))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    data = TensorDataset(torch.randn(24, 4, 4), torch.randint(0, 3, (24,)))
    train(model, DataLoader(data, batch_size=8), optimizer, epochs=2)


if __name__ == "__main__":
    main()
