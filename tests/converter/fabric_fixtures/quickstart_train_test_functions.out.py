# t2l-fixture: verify --steps 45
"""Quickstart-tutorial shape: train/test functions, `loss, current = loss.item(), ...` rebinding the loss after the
step, `test_loss, correct = 0, 0`, averaged in place after the loop, saved weights."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

torch.manual_seed(0)
training_data = TensorDataset(torch.randn(240, 1, 8, 8), torch.randint(0, 10, (240,)))
test_data = TensorDataset(torch.randn(80, 1, 8, 8), torch.randint(0, 10, (80,)))
batch_size = 16
train_dataloader = DataLoader(training_data, batch_size=batch_size)
test_dataloader = DataLoader(test_data, batch_size=batch_size)

device = "cuda" if torch.cuda.is_available() else "cpu"
fabric = Fabric(accelerator=torch.device(device).type, devices=1)
fabric.launch()
train_dataloader = fabric.setup_dataloaders(train_dataloader)
test_dataloader = fabric.setup_dataloaders(test_dataloader)
fabric.print(f"Using {device} device")


class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))

    def forward(self, x):
        x = self.flatten(x)
        logits = self.linear_relu_stack(x)
        return logits


model = NeuralNetwork()
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-2)
model, optimizer = fabric.setup(model, optimizer)


def train(dataloader, model, loss_fn, optimizer):
    size = len(dataloader.dataset)
    model.train()
    for batch, (X, y) in enumerate(dataloader):
        X, y = X.to(device), y.to(device)
        pred = model(X)
        loss = loss_fn(pred, y)
        fabric.backward(loss)
        optimizer.step()
        optimizer.zero_grad()
        if batch % 5 == 0:
            loss, current = loss.item(), (batch + 1) * len(X)
            fabric.print(f"loss: {loss:>7f}  [{current:>5d}/{size:>5d}]")


def test(dataloader, model, loss_fn):
    size = len(dataloader.dataset)
    num_batches = len(dataloader)
    model.eval()
    test_loss, correct = 0, 0
    with torch.no_grad():
        for X, y in dataloader:
            X, y = X.to(device), y.to(device)
            pred = model(X)
            test_loss += loss_fn(pred, y).item()
            correct += (pred.argmax(1) == y).type(torch.float).sum().item()
    test_loss /= num_batches
    correct /= size
    fabric.print(f"Test Error: \n Accuracy: {(100*correct):>0.1f}%, Avg loss: {test_loss:>8f} \n")


epochs = 3
for t in range(epochs):
    fabric.print(f"Epoch {t+1}\n-------------------------------")
    train(train_dataloader, model, loss_fn, optimizer)
    test(test_dataloader, model, loss_fn)
fabric.print("Done!")
torch.save(model.state_dict(), "model.pth")
fabric.print("Saved PyTorch Model State to model.pth")
