import torch

torch.manual_seed(0)
w_true = torch.randn(5, 1)
model = torch.nn.Linear(5, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for it in range(500):
    x = torch.randn(32, 5)
    y = x @ w_true
    loss = torch.nn.functional.mse_loss(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if loss.item() < 1e-3:
        print(f"converged at iteration {it}")
        break
print(f"final loss {loss.item():.6f}")
