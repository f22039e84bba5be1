import torch

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
train_x, train_y = torch.randn(32, 4), torch.randn(32, 1)
val_x, val_y = torch.randn(16, 4), torch.randn(16, 1)


def batches(x, y, size=8):
    for i in range(0, len(x), size):
        yield x[i:i + size], y[i:i + size]


for epoch in range(3):
    for xb, yb in batches(train_x, train_y):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(xb), yb)
        loss.backward()
        optimizer.step()
    val = 0.0
    with torch.no_grad():
        for xb, yb in batches(val_x, val_y):
            val += torch.nn.functional.mse_loss(model(xb), yb).item()
    print(epoch, val)
