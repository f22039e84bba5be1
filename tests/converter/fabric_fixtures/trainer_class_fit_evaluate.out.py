# t2l-fixture: verify --steps 45 -- --epochs 3
"""Classify synthetic blobs with a Trainer class that owns the loop: train_epoch, evaluate, fit."""
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric


class Classifier(nn.Module):
    def __init__(self, in_features=16, hidden=32, classes=4):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(in_features, hidden), nn.ReLU(), nn.Dropout(0.1), nn.Linear(hidden, classes))

    def forward(self, x):
        return self.net(x)


class Trainer:
    """Owns the model, the optimizer and the data; `fit` runs the epochs."""

    def __init__(self, model, optimizer, criterion, train_loader, val_loader, device, scheduler=None):
        self.model = model.to(device)
        self.optimizer = optimizer
        self.criterion = criterion
        self.train_loader = train_loader
        self.val_loader = val_loader
        self.device = device
        self.scheduler = scheduler
        self.history = {"train_loss": [], "val_loss": [], "val_acc": []}
        self.best_val_loss = float("inf")

    def train_epoch(self):
        self.model.train()
        running_loss = 0.0
        for inputs, labels in self.train_loader:
            inputs, labels = inputs.to(self.device), labels.to(self.device)
            self.optimizer.zero_grad()
            outputs = self.model(inputs)
            loss = self.criterion(outputs, labels)
            fabric.backward(loss)
            self.optimizer.step()
            running_loss += loss.item() * inputs.size(0)
        return running_loss / len(self.train_loader.dataset)

    @torch.no_grad()
    def evaluate(self):
        self.model.eval()
        total_loss, correct = 0.0, 0
        for inputs, labels in self.val_loader:
            inputs, labels = inputs.to(self.device), labels.to(self.device)
            outputs = self.model(inputs)
            total_loss += self.criterion(outputs, labels).item() * inputs.size(0)
            correct += (outputs.argmax(dim=1) == labels).sum().item()
        return total_loss / len(self.val_loader.dataset), correct / len(self.val_loader.dataset)

    def fit(self, epochs):
        for epoch in range(1, epochs + 1):
            train_loss = self.train_epoch()
            val_loss, val_acc = self.evaluate()
            if self.scheduler is not None:
                self.scheduler.step()
            self.history["train_loss"].append(train_loss)
            self.history["val_loss"].append(val_loss)
            self.history["val_acc"].append(val_acc)
            if val_loss < self.best_val_loss:
                self.best_val_loss = val_loss
                torch.save(self.model.state_dict(), "best_model.pt")
            fabric.print(f"epoch {epoch}: train {train_loss:.4f} | val {val_loss:.4f} | acc {val_acc:.3f}")
        return self.history


def make_loaders(batch_size):
    generator = torch.Generator().manual_seed(1)
    centers = torch.randn(4, 16, generator=generator) * 3
    labels = torch.randint(0, 4, (600,), generator=generator)
    features = centers[labels] + torch.randn(600, 16, generator=generator)
    train = TensorDataset(features[:480], labels[:480])
    val = TensorDataset(features[480:], labels[480:])
    return fabric.setup_dataloaders(DataLoader(train, batch_size=batch_size, shuffle=True), DataLoader(val, batch_size=batch_size))


def main():
    global fabric
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=0.01)
    args = parser.parse_args()

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    fabric = Fabric(accelerator=device.type, devices=1)
    fabric.launch()
    train_loader, val_loader = make_loaders(args.batch_size)
    model = Classifier()
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    model, optimizer = fabric.setup(model, optimizer)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    trainer = Trainer(model, optimizer, nn.CrossEntropyLoss(), train_loader, val_loader, device, scheduler)
    history = trainer.fit(args.epochs)
    fabric.print(f"best validation loss {min(history['val_loss']):.4f}")


if __name__ == "__main__":
    main()
