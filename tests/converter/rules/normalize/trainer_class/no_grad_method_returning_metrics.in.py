import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Trainer:
    def __init__(self, model, optimizer, train_loader, val_loader):
        self.model = model
        self.optimizer = optimizer
        self.criterion = nn.CrossEntropyLoss()
        self.train_loader = train_loader
        self.val_loader = val_loader

    def train_epoch(self):
        self.model.train()
        for inputs, labels in self.train_loader:
            self.optimizer.zero_grad()
            loss = self.criterion(self.model(inputs), labels)
            loss.backward()
            self.optimizer.step()

    @torch.no_grad()
    def evaluate(self):
        self.model.eval()
        total_loss, correct = 0.0, 0
        for inputs, labels in self.val_loader:
            outputs = self.model(inputs)
            total_loss += self.criterion(outputs, labels).item() * inputs.size(0)
            correct += (outputs.argmax(dim=1) == labels).sum().item()
        return total_loss / len(self.val_loader.dataset), correct / len(self.val_loader.dataset)

    def fit(self, epochs):
        best = float("inf")
        for epoch in range(epochs):
            self.train_epoch()
            val_loss, val_acc = self.evaluate()
            if val_loss < best:
                best = val_loss
                torch.save(self.model.state_dict(), "best.pt")


data = TensorDataset(torch.randn(64, 8), torch.randint(0, 3, (64,)))
model = nn.Linear(8, 3)
trainer = Trainer(model, torch.optim.SGD(model.parameters(), lr=0.1), DataLoader(data, batch_size=16), DataLoader(data, batch_size=32))
trainer.fit(3)
