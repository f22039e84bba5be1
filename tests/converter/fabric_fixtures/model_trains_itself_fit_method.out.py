# t2l-fixture: verify --steps 24
"""A model that trains itself, in the Keras-like shape of many tutorials: an `nn.Module` subclass with `fit`,
`evaluate` and `predict` methods, the optimizer built at the start of `fit`, a history of losses and accuracies
returned to the caller. `fit` becomes a function of the model (T2L146); its loop converts as usual, `evaluate`
stays a method the epoch end calls."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


class Classifier(nn.Module):
    def __init__(self, in_features, hidden, classes, lr=3e-3):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(in_features, hidden), nn.ReLU(), nn.Dropout(0.1), nn.Linear(hidden, classes))
        self.loss_fn = nn.CrossEntropyLoss()
        self.lr = lr

    def forward(self, x):
        return self.net(x)

    def evaluate(self, loader):
        self.eval()
        correct, seen = 0, 0
        with torch.no_grad():
            for xb, yb in loader:
                correct += (self(xb).argmax(1) == yb).sum().item()
                seen += len(yb)
        return correct / seen

    def fit(self, train_loader, val_loader, epochs=3):
        optimizer = torch.optim.Adam(self.parameters(), lr=self.lr)
        self, optimizer = fabric.setup(self, optimizer)
        self.mark_forward_method("evaluate")
        history = {"loss": [], "val_acc": []}
        for epoch in range(epochs):
            self.train()
            running = 0.0
            for xb, yb in train_loader:
                optimizer.zero_grad()
                loss = self.loss_fn(self(xb), yb)
                fabric.backward(loss)
                optimizer.step()
                running += loss.item() * len(yb)
            history["loss"].append(running / len(train_loader.dataset))
            history["val_acc"].append(self.evaluate(val_loader))
            fabric.print(f"epoch {epoch + 1}/{epochs} loss {history['loss'][-1]:.5f} val_acc {history['val_acc'][-1]:.4f}")
        return history

    def predict(self, x):
        self.eval()
        with torch.no_grad():
            return self(x).argmax(1)


torch.manual_seed(0)
features = torch.randn(200, 10)
labels = (features[:, 0] + features[:, 1] * features[:, 2] > 0).long()
train_loader = DataLoader(TensorDataset(features[:160], labels[:160]), batch_size=20, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
val_loader = DataLoader(TensorDataset(features[160:], labels[160:]), batch_size=40)
val_loader = fabric.setup_dataloaders(val_loader)
model = Classifier(10, 32, 2)
history = model.fit(train_loader, val_loader, epochs=3)
fabric.print("best val acc", max(history["val_acc"]))
fabric.print("test predictions", model.predict(features[160:170]).tolist())
