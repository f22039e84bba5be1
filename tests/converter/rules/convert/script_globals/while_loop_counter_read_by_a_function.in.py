import torch
from torch.utils.data import DataLoader, TensorDataset


def augment(batch):
    return batch + 0.1 * epoch * torch.randn_like(batch)  # stronger each epoch: the global `epoch`


torch.manual_seed(0)
x = torch.randn(96, 4)
loader = DataLoader(TensorDataset(x, x.sum(1, keepdim=True)), batch_size=16, shuffle=True)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
max_epochs = 3
epoch = 0
while epoch < max_epochs:
    for xb, yb in loader:
        loss = torch.nn.functional.mse_loss(model(augment(xb)), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch} loss {loss.item():.6f}")
    epoch += 1
