import torch
from torch.utils.data import DataLoader, TensorDataset

train_set = TensorDataset(torch.randn(64, 6), torch.randn(64, 1))
model = torch.nn.Linear(6, 1)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(3):
    model.train()
    train_loader = DataLoader(train_set, batch_size=16, shuffle=True)
    running = 0.0
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(f"epoch {epoch}: {running / len(train_loader):.4f}")
