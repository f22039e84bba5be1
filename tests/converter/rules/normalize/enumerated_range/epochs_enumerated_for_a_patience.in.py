import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
train_loader = DataLoader(TensorDataset(torch.randn(40, 4), torch.randn(40, 1)), batch_size=8, shuffle=True)
model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.3)
best_loss, best_epoch, patience = float("inf"), 0, 1
for idx, epoch in enumerate(range(1, 21)):
    total = 0.0
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item()
    if total < best_loss:
        best_loss, best_epoch = total, idx
    if idx - best_epoch > patience:
        print(f"no better loss since epoch {best_epoch + 1}: stopped")
        break
    print(f"epoch {epoch}: {total / len(train_loader):.4f}")
