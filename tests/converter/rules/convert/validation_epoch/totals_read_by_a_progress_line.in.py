import torch
from torch.utils.data import DataLoader, TensorDataset


def progress(i, n, message):
    print(f"[{i + 1}/{n}] {message}")


def test(model, loader):
    model.eval()
    test_loss, seen = 0.0, 0
    with torch.no_grad():
        for i, (x, y) in enumerate(loader):
            test_loss += torch.nn.functional.mse_loss(model(x), y).item()
            seen += y.size(0)
            progress(i, len(loader), f"loss {test_loss / (i + 1):.3f} over {seen}")


torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
train_loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=8)
for epoch in range(3):
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
    test(model, val_loader)
