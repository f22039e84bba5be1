import torch
from torch.utils.data import DataLoader, TensorDataset


class ProgressLogger:
    def __init__(self, print_freq):
        self.print_freq = print_freq

    def log_every(self, iterable, header=""):
        for i, obj in enumerate(iterable):
            yield [t.float() for t in obj]
            if i % self.print_freq == 0:
                print(f"{header} [{i}/{len(iterable)}]")


def train_one_epoch(model, optimizer, loader, epoch):
    logger = ProgressLogger(print_freq=2)
    for x, y in logger.log_every(loader, f"Epoch: [{epoch}]"):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()


def evaluate(model, loader):
    logger = ProgressLogger(print_freq=2)
    with torch.no_grad():
        for x, y in logger.log_every(loader, "Test:"):
            loss = torch.nn.functional.mse_loss(model(x), y)


model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
train_loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)
val_loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)
for epoch in range(2):
    train_one_epoch(model, optimizer, train_loader, epoch)
    evaluate(model, val_loader)
