import torch
from torch import nn

model = nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
train_loader = [(torch.randn(8, 4), torch.randn(8, 1)) for _ in range(4)]
val_loader = [(torch.randn(8, 4), torch.randn(8, 1)) for _ in range(2)]

for epoch in range(2):
    for x, y in train_loader:
        optimizer.zero_grad()
        nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
    total, kept = 0.0, 0
    with torch.no_grad():
        for x, y in val_loader:
            loss = nn.functional.mse_loss(model(x), y)
            if torch.isfinite(loss):
                total += loss.item()
                kept += 1
    print(f"epoch {epoch}: val {total / kept:.4f} over {kept} batches")
