import torch
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
criterion = torch.nn.MSELoss()
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8, shuffle=True)


def train_step(model, x, y, criterion, optimizer):
    model.train()
    optimizer.zero_grad()
    loss = criterion(model(x), y)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    optimizer.step()
    return loss.item()


for epoch in range(3):
    epoch_loss, steps = 0.0, 0
    for x, y in loader:
        epoch_loss += train_step(model, x, y, criterion, optimizer)
        steps += 1
    print(f"epoch {epoch}: {epoch_loss / steps:.4f}")
