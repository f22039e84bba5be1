import torch
from torch.utils.data import DataLoader, TensorDataset


def report(trainer, epoch):
    print(f"epoch {epoch}: lr {trainer.optimizer.param_groups[0]['lr']}")


class Trainer:
    def __init__(self, model, loader):
        self.model = model
        self.loader = loader
        self.optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

    def train(self, epochs):
        for epoch in range(epochs):
            for x, y in self.loader:
                self.optimizer.zero_grad()
                loss = torch.nn.functional.mse_loss(self.model(x), y)
                loss.backward()
                self.optimizer.step()
            report(self, epoch)


trainer = Trainer(torch.nn.Linear(4, 1), DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8))
trainer.train(2)
