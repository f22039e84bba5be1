import torch
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)


def batch_loss(xb, yb, opt=None):
    loss = torch.nn.functional.mse_loss(model(xb), yb)
    if opt is not None:
        loss.backward()
        opt.step()
        opt.zero_grad()
    return loss.item()


for epoch in range(2):
    for xb, yb in loader:
        batch_loss(xb, yb, opt)
    with torch.no_grad():
        print(sum(batch_loss(xb, yb) for xb, yb in loader))
