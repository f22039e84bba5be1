import torch
from torch.utils.data import DataLoader, TensorDataset


class Regressor(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(4, 1)
        self.optimizer = torch.optim.SGD(self.parameters(), lr=0.1)

    def forward(self, x):
        return self.linear(x)


def fit(model, loader, epochs):
    for epoch in range(epochs):
        # TODO(t2l): T2L908 `model.optimizer.step()` steps an optimizer this route cannot follow (built as an attribute in a class, or stepped through methods of its own): convert with --to fabric, which keeps the loop and its optimizer as they are; not converted
        for x, y in loader:
            model.optimizer.zero_grad()
            loss = torch.nn.functional.mse_loss(model(x), y)
            loss.backward()
            model.optimizer.step()


fit(Regressor(), DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4), epochs=2)
