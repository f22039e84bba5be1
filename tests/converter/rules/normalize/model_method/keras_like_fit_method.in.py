import torch
from torch.utils.data import DataLoader, TensorDataset


class Regressor(torch.nn.Module):
    def __init__(self, lr=0.1):
        super().__init__()
        self.linear = torch.nn.Linear(4, 1)
        self.lr = lr

    def forward(self, x):
        return self.linear(x)

    def fit(self, loader, epochs):
        optimizer = torch.optim.SGD(self.parameters(), lr=self.lr)
        for epoch in range(epochs):
            for x, y in loader:
                optimizer.zero_grad()
                loss = torch.nn.functional.mse_loss(self(x), y)
                loss.backward()
                optimizer.step()
        return loss.item()


torch.manual_seed(0)
net = Regressor().to("cpu")
final = net.fit(DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4), epochs=2)
print(final)
