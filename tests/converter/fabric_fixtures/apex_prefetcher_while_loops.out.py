# t2l-fixture: verify --steps 40
"""NVIDIA apex's ImageNet example: a `data_prefetcher` class hands out batches with `next()`, the training is a
`while input is not None:` loop with its own counter, and the meters are printed every `print_freq` steps; the validation fetches through a prefetcher too (kept as the function it is, run at each epoch's end)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)


class data_prefetcher:
    def __init__(self, loader):
        self.loader = iter(loader)
        self.preload()

    def preload(self):
        try:
            self.next_input, self.next_target = next(self.loader)
        except StopIteration:
            self.next_input = None
            self.next_target = None

    def next(self):
        input, target = self.next_input, self.next_target
        self.preload()
        return input, target


class AverageMeter:
    def __init__(self):
        self.sum, self.count, self.avg = 0.0, 0, 0.0

    def update(self, val, n=1):
        self.sum += val * n
        self.count += n
        self.avg = self.sum / self.count


def train(train_loader, model, criterion, optimizer, epoch, print_freq=3):
    losses = AverageMeter()
    model.train()
    prefetcher = data_prefetcher(train_loader)
    input, target = prefetcher.next()
    i = 0
    while input is not None:
        i += 1
        output = model(input)
        loss = criterion(output, target)
        optimizer.zero_grad()
        fabric.backward(loss)
        optimizer.step()
        if i % print_freq == 0:
            losses.update(loss.item(), input.size(0))
            fabric.print(f"Epoch: [{epoch}][{i}/{len(train_loader)}]\tLoss {losses.avg:.4f}")
        input, target = prefetcher.next()


def validate(val_loader, model, criterion):
    model.eval()
    prefetcher = data_prefetcher(val_loader)
    input, target = prefetcher.next()
    total, n = 0.0, 0
    while input is not None:
        with torch.no_grad():
            output = model(input)
            loss = criterion(output, target)
        total += loss.item() * input.size(0)
        n += input.size(0)
        input, target = prefetcher.next()
    fabric.print(f"val loss {total / n:.4f}")
    return total / n


g = torch.Generator().manual_seed(5)
x = torch.randn(96, 8, generator=g)
y = torch.randint(0, 3, (96,), generator=g)
loader = DataLoader(TensorDataset(x[:72], y[:72]), batch_size=12, shuffle=True)
loader = fabric.setup_dataloaders(loader)
val_loader = DataLoader(TensorDataset(x[72:], y[72:]), batch_size=12)
val_loader = fabric.setup_dataloaders(val_loader)
model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), 0.1, momentum=0.9, weight_decay=1e-4)
model, optimizer = fabric.setup(model, optimizer)
for epoch in range(3):
    train(loader, model, criterion, optimizer, epoch)
    validate(val_loader, model, criterion)
