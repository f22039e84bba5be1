import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
train_loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randint(0, 2, (8,))), batch_size=4)
val_loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randint(0, 2, (8,))), batch_size=4)


def saliency(model, loader):
    model.eval()
    total = 0.0
    for x, y in loader:
        x.requires_grad_(True)
        score = model(x).gather(1, y[:, None]).sum()
        total += torch.autograd.grad(score, x)[0].abs().mean().item()
    return total


for epoch in range(2):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
    print(epoch, saliency(model, val_loader))
