import torch
from torch.utils.data import DataLoader, TensorDataset


def train(model, loader, optimizer, start_epoch, num_epochs):
    epoch = start_epoch
    while epoch <= num_epochs:
        for x, y in loader:
            optimizer.zero_grad()
            loss = torch.nn.functional.mse_loss(model(x), y)
            loss.backward()
            optimizer.step()
        epoch += 1
    return epoch


model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)
print(train(model, loader, torch.optim.SGD(model.parameters(), lr=0.1), 1, 3))
