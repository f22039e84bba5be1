# t2l-fixture: verify --steps 30
"""A `while` loop over epochs counted by hand, the counter incremented before the epoch's print (which shows epochs
from 1), the training accuracy printed after it."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(4)
X = torch.randn(160, 6)
Y = (X[:, 0] * X[:, 1] > 0).long()
loader = DataLoader(TensorDataset(X, Y), batch_size=16, shuffle=True)
loader = fabric.setup_dataloaders(loader)
model = nn.Sequential(nn.Linear(6, 20), nn.ReLU(), nn.Linear(20, 2))
optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-2)
model, optimizer = fabric.setup(model, optimizer)
n_epochs = 3
epoch = 0
while epoch < n_epochs:
    epoch_loss = 0
    for inputs, labels in loader:
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = F.cross_entropy(outputs, labels)
        fabric.backward(loss)
        optimizer.step()
        epoch_loss += loss.item()
    epoch += 1
    fabric.print("Epoch %d loss %.6f" % (epoch, epoch_loss / len(loader)))
correct = (model(X).argmax(1) == Y).sum().item()
fabric.print("train accuracy", correct / len(Y))
