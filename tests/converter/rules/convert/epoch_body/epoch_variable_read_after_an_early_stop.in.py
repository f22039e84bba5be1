import torch
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=4, shuffle=True)
best, patience, bad_epochs = float("inf"), 2, 0
for epoch in range(50):
    for x, y in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
    if loss.item() < best:
        best, bad_epochs = loss.item(), 0
    else:
        bad_epochs += 1
    if bad_epochs >= patience:
        break
print(f"stopped after epoch {epoch}, best {best:.6f}")
