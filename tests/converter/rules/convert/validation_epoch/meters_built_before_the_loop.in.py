import torch
from torch.utils.data import DataLoader, TensorDataset


class Meter:
    def __init__(self):
        self.sum, self.count = 0.0, 0

    def update(self, value, n):
        self.sum, self.count = self.sum + value * n, self.count + n


def validate(model, loader):
    losses = Meter()
    model.eval()
    with torch.no_grad():
        for x, y in loader:
            losses.update(torch.nn.functional.mse_loss(model(x), y).item(), len(x))
    return losses.sum / losses.count


torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
train_loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=8)
history = []
for epoch in range(3):
    losses = Meter()  # the training's own meter, under the same name
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        losses.update(loss.item(), len(x))
    val_loss = validate(model, val_loader)
    history.append((losses.sum / losses.count, val_loss))
