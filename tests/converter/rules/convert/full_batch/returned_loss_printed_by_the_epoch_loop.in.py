import torch

x, y = torch.randn(16, 4), torch.randn(16, 1)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)


def train():
    optimizer.zero_grad()
    loss = torch.nn.functional.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    return float(loss)


for epoch in range(1, 21):
    loss = train()
    if epoch % 10 == 0:
        print(f"epoch {epoch:03d} loss {loss:.4f}")
