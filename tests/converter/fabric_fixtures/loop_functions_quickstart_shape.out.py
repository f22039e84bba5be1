# t2l-fixture: verify --steps 24
"""Fit a small classifier with a train loop and a test loop function, in the shape of PyTorch's beginner
quickstart: the loss name reused for a float after backward, the test summary divided after its loop."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

features = torch.randn(384, 12, generator=torch.Generator().manual_seed(3))
labels = (features[:, :4].sum(dim=1) > 0).long() + (features[:, 4:8].sum(dim=1) > 0).long()
batch_size = 32
train_loader = DataLoader(TensorDataset(features[:320], labels[:320]), batch_size=batch_size, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
eval_loader = DataLoader(TensorDataset(features[320:], labels[320:]), batch_size=batch_size)
eval_loader = fabric.setup_dataloaders(eval_loader)


class SmallNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(12, 48), nn.ReLU(), nn.Dropout(0.2), nn.Linear(48, 3))

    def forward(self, x):
        return self.layers(x)


net = SmallNet()
criterion = nn.CrossEntropyLoss()
opt = torch.optim.SGD(net.parameters(), lr=0.05)
net, opt = fabric.setup(net, opt)


def train_loop(loader, net, criterion, opt):
    seen_total = len(loader.dataset)
    net.train()
    for step, (inputs, targets) in enumerate(loader):
        logits = net(inputs)
        loss = criterion(logits, targets)
        fabric.backward(loss)
        opt.step()
        opt.zero_grad()
        if step % 4 == 0:
            loss, done = loss.item(), step * batch_size + len(inputs)
            fabric.print(f"loss {loss:>8.5f} [{done:>4d}/{seen_total:>4d}]")


def eval_loop(loader, net, criterion):
    net.eval()
    seen_total = len(loader.dataset)
    batches = len(loader)
    eval_loss, hits = 0, 0
    with torch.no_grad():
        for inputs, targets in loader:
            logits = net(inputs)
            eval_loss += criterion(logits, targets).item()
            hits += (logits.argmax(1) == targets).type(torch.float).sum().item()
    eval_loss /= batches
    hits /= seen_total
    fabric.print(f"eval: accuracy {100 * hits:>5.1f}%, mean loss {eval_loss:>8.5f}")


for epoch in range(3):
    fabric.print(f"epoch {epoch + 1}")
    train_loop(train_loader, net, criterion, opt)
    eval_loop(eval_loader, net, criterion)
fabric.print("done")
