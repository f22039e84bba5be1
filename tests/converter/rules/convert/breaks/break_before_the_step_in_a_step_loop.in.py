import torch

model = torch.nn.Linear(5, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for it in range(100):
    x = torch.randn(32, 5)
    loss = model(x).pow(2).mean()
    if loss.item() < 1e-3:
        break
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
