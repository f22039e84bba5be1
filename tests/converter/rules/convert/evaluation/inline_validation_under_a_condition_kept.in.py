import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
train_loader = DataLoader(TensorDataset(torch.randn(32, 5), torch.randn(32, 1)), batch_size=8, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.randn(16, 5), torch.randn(16, 1)), batch_size=8)
model = nn.Sequential(nn.Linear(5, 8), nn.Dropout(0.3), nn.Linear(8, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
eval_every = 2

for epoch in range(5):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
    if (epoch + 1) % eval_every == 0:
        model.eval()
        val_loss = 0.0
        with torch.no_grad():
            for x, y in val_loader:
                val_loss += nn.functional.mse_loss(model(x), y).item()
        print(f"epoch {epoch}: val {val_loss / len(val_loader):.5f}")
