# t2l-fixture: verify --steps 32
"""Course shape: a validation loop without no_grad that reuses `loss`, sums over `len(loader.sampler)` with a
SubsetRandomSampler split, and saves when the validation loss decreases."""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.data.sampler import SubsetRandomSampler
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(8)
np.random.seed(8)
data = TensorDataset(torch.randn(200, 12), torch.randint(0, 4, (200,)))
indices = list(range(len(data)))
np.random.shuffle(indices)
split = int(np.floor(0.2 * len(data)))
train_idx, valid_idx = indices[split:], indices[:split]
train_loader = DataLoader(data, batch_size=20, sampler=SubsetRandomSampler(train_idx))
train_loader = fabric.setup_dataloaders(train_loader)
valid_loader = DataLoader(data, batch_size=20, sampler=SubsetRandomSampler(valid_idx))
valid_loader = fabric.setup_dataloaders(valid_loader)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(12, 32)
        self.fc2 = nn.Linear(32, 4)
        self.dropout = nn.Dropout(0.2)

    def forward(self, x):
        return self.fc2(self.dropout(F.relu(self.fc1(x))))


model = Net()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
model, optimizer = fabric.setup(model, optimizer)
n_epochs = 4
valid_loss_min = np.inf
for epoch in range(n_epochs):
    train_loss = 0.0
    valid_loss = 0.0
    model.train()
    for data, target in train_loader:
        optimizer.zero_grad()
        output = model(data)
        loss = criterion(output, target)
        fabric.backward(loss)
        optimizer.step()
        train_loss += loss.item() * data.size(0)
    model.eval()
    for data, target in valid_loader:
        output = model(data)
        loss = criterion(output, target)
        valid_loss += loss.item() * data.size(0)
    train_loss = train_loss / len(train_loader.sampler)
    valid_loss = valid_loss / len(valid_loader.sampler)
    fabric.print("Epoch: {} \tTraining Loss: {:.6f} \tValidation Loss: {:.6f}".format(epoch + 1, train_loss, valid_loss))
    if valid_loss <= valid_loss_min:
        fabric.print("Validation loss decreased ({:.6f} --> {:.6f}).  Saving model ...".format(valid_loss_min, valid_loss))
        torch.save(model.state_dict(), "model.pt")
        valid_loss_min = valid_loss
