import torch
from torch import nn

model = nn.Linear(6, 3)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
for epoch in range(3):
    model.train()
    for x, y in train_loader:
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
    model.eval()
    total = 0.0
    with torch.no_grad():
        for x, y in valid_loader:
            total += nn.functional.cross_entropy(model(x), y).item()
    print(epoch, total / len(valid_loader))
