import torch
from torch.utils.data import DataLoader, TensorDataset


class Regressor(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(4, 1)
        self.optimizer = torch.optim.SGD(self.parameters(), lr=0.1, momentum=0.9)
        self.criterion = torch.nn.MSELoss()

    def forward(self, x):
        return self.linear(x)

    def train_model(self, loader, epochs):
        for epoch in range(epochs):
            for x, y in loader:
                self.optimizer.zero_grad()
                loss = self.criterion(self(x), y)
                loss.backward()
                self.optimizer.step()
            print(epoch, loss.item())


net = Regressor()
net.train_model(DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4), epochs=2)
