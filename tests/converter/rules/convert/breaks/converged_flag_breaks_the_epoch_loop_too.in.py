import torch
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
x = torch.randn(256, 5)
y = x @ torch.randn(5, 1)
loader = DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True)
model = torch.nn.Linear(5, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
converged = False
for epoch in range(50):
    total = 0.0
    for xb, yb in loader:
        loss = torch.nn.functional.mse_loss(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item()
        if loss.item() < 1e-3:
            converged = True
            print(f"converged in epoch {epoch}")
            break
    print(f"epoch {epoch} total {total:.5f}")
    if converged:
        break
print("converged" if converged else "not converged", f"{loss.item():.6f}")
