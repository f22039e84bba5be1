import torch
from torch.utils.data import DataLoader, TensorDataset


def evaluate(net, loader, every):
    net.eval()
    with torch.no_grad():
        for i, (x, y) in enumerate(loader):
            loss = torch.nn.functional.mse_loss(net(x), y)
            if i % every == 0:
                report(i, len(loader), loss.item())
    torch.save(net.state_dict(), "last.pt")  # after every evaluation
    torch.save(loss, "last_loss.pt")  # the last batch's: validation_step's local


def report(i, n, value):
    print(f"[{i + 1}/{n}] {value:.4f}")


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
    evaluate(model, val_loader, 2)
