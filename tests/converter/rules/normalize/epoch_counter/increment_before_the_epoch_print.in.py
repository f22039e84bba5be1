import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=4)
epoch, n_epochs = 0, 3
while epoch < n_epochs:
    total = 0.0
    for x, y in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item()
    epoch += 1
    print(f"epoch {epoch}/{n_epochs}: loss {total / len(loader):.4f}")
    if epoch % 2 == 0:
        torch.save(model.state_dict(), f"model-{epoch}.pt")
