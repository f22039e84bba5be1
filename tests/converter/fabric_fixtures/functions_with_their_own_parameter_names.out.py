# t2l-fixture: verify --steps 12
"""Train and test functions whose parameters are named apart from the module-level objects the calls pass
(`train(net, loader, opt)` called with `train(model, train_loader, optimizer)`), reading those parameters inside
their loops (`len(loader)`, a report every `every` batches). Converted once to hooks that read `net`, `loader` and
`opt`, names that exist only inside the functions: a NameError after a clean exit."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
features = torch.randn(192, 8)
labels = (features[:, :4].sum(1) > features[:, 4:].sum(1)).long()
train_loader = DataLoader(TensorDataset(features[:128], labels[:128]), batch_size=16, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
test_loader = DataLoader(TensorDataset(features[128:], labels[128:]), batch_size=32)
test_loader = fabric.setup_dataloaders(test_loader)
model = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 2))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
model, optimizer = fabric.setup(model, optimizer)
REPORT_EVERY = 4


def report(step, steps, value):
    fabric.print(f"[{step + 1:>3}/{steps}] {value:.4f}")


def train(net, loader, opt, loss_fn, every):
    net.train()
    for batch, (x, y) in enumerate(loader):
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        fabric.backward(loss)
        opt.step()
        if batch % every == 0:
            report(batch, len(loader), loss.item())


def test(net, loader, loss_fn):
    net.eval()
    with torch.no_grad():
        for batch, (x, y) in enumerate(loader):
            loss = loss_fn(net(x), y)
            report(batch, len(loader), loss.item())


for epoch in range(3):
    train(model, train_loader, optimizer, criterion, REPORT_EVERY)
    test(model, test_loader, criterion)
