import torch

torch.manual_seed(0)
x = torch.randn(256, 4)
y = x.sum(1, keepdim=True)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=8)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
best, rates = float("inf"), []
for i, (xb, yb) in enumerate(loader):
    loss = torch.nn.functional.mse_loss(model(xb), yb)
    if loss.item() > 4 * best:
        print(f"stopped at batch {i}: loss {loss.item():.4g} exploded")
        break
    best = min(best, loss.item())
    rates.append(optimizer.param_groups[0]["lr"])
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    optimizer.param_groups[0]["lr"] *= 1.6
print(f"stopped after {len(rates)} rates, the best loss {best:.6g}")
