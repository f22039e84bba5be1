import torch
from torch.utils.data import DataLoader, RandomSampler, TensorDataset


def train(model, optimizer, dataset, epochs, seed):
    generator = torch.Generator().manual_seed(seed)
    loader = DataLoader(dataset, batch_size=4, sampler=RandomSampler(dataset, generator=generator))
    for epoch in range(epochs):
        for x, y in loader:
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()


model = torch.nn.Linear(4, 1)
train(model, torch.optim.SGD(model.parameters(), lr=0.1), TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), 3, 0)
