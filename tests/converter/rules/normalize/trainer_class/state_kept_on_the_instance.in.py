import torch
from torch.utils.data import DataLoader, TensorDataset


class Trainer(object):
    """Counts its steps and keeps the losses; the caller reads them after training."""

    def __init__(self, model, loader, lr):
        self.model = model
        self.loader = loader
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=lr)
        self.step = 0
        self.losses = []

    def train_step(self, x, y):
        self.optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(self.model(x), y)
        loss.backward()
        self.optimizer.step()
        self.step += 1
        return loss.item()

    def fit(self, epochs):
        for epoch in range(epochs):
            for x, y in self.loader:
                loss = self.train_step(x.float(), y)
                self.losses.append(loss)


torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)
trainer = Trainer(model, loader, lr=0.01)
trainer.fit(2)
print(f"{trainer.step} steps, last loss {trainer.losses[-1]:.4f}")
