import torch
from torch.utils.data import DataLoader, TensorDataset

net = torch.nn.Linear(5, 1)
optimizer = torch.optim.SGD(net.parameters(), lr=0.05)
train_loader = DataLoader(TensorDataset(torch.randn(32, 5), torch.randn(32, 1)), batch_size=8, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.randn(24, 5), torch.randn(24, 1)), batch_size=8)
val_history = []
for epoch in range(2):
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(net(x), y)
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        for x, y in val_loader:
            val_history.append(torch.nn.functional.mse_loss(net(x), y).item())
print("validation batches seen:", len(val_history))
