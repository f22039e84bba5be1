import torch
from torch.utils.data import DataLoader, TensorDataset


class Prefetcher:
    def __init__(self, loader):
        self.it = iter(loader)
        self.batch = next(self.it, (None, None))

    def next(self):
        batch, self.batch = self.batch, next(self.it, (None, None))
        return batch


def train(loader, model, optimizer):
    prefetcher = Prefetcher(loader)
    x, y = prefetcher.next()
    while x is not None:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        x, y = prefetcher.next()


model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)
for epoch in range(2):
    train(loader, model, optimizer)
