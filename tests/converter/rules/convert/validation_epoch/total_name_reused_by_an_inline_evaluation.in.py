import torch
from torch import nn

model = nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
train_loader = [(torch.randn(8, 4), torch.randn(8, 1)) for _ in range(4)]
val_loader = [(torch.randn(8, 4), torch.randn(8, 1)) for _ in range(2)]

for epoch in range(2):
    running = 0.0
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(f"train {running / len(train_loader):.4f}")
    running = 0.0
    with torch.no_grad():
        for x, y in val_loader:
            running += nn.functional.mse_loss(model(x), y).item()
    print(f"val {running / len(val_loader):.4f}")
