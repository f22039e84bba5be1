# t2l-fixture: verify --steps 40
"""A higher-order step function: make_train_step(model, loss_fn, optimizer) returns the closure that trains on one
mini-batch (the shape of a popular "understanding PyTorch with an example" post)."""
import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset, random_split
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

np.random.seed(42)
x = np.random.rand(100, 1)
y = 1 + 2 * x + 0.1 * np.random.randn(100, 1)
x_tensor = torch.from_numpy(x).float()
y_tensor = torch.from_numpy(y).float()
dataset = TensorDataset(x_tensor, y_tensor)
torch.manual_seed(42)
train_dataset, val_dataset = random_split(dataset, [80, 20])
train_loader = DataLoader(dataset=train_dataset, batch_size=16, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
val_loader = DataLoader(dataset=val_dataset, batch_size=20)
val_loader = fabric.setup_dataloaders(val_loader)


def make_train_step(model, loss_fn, optimizer):
    def train_step(x, y):
        model.train()
        yhat = model(x)
        loss = loss_fn(y, yhat)
        fabric.backward(loss)
        optimizer.step()
        optimizer.zero_grad()
        return loss.item()

    return train_step


model = nn.Sequential(nn.Linear(1, 1))
loss_fn = nn.MSELoss(reduction="mean")
optimizer = optim.SGD(model.parameters(), lr=1e-1)
model, optimizer = fabric.setup(model, optimizer)
train_step = make_train_step(model, loss_fn, optimizer)
losses, val_losses = [], []
for epoch in range(8):
    for x_batch, y_batch in train_loader:
        loss = train_step(x_batch, y_batch)
        losses.append(loss)
    with torch.no_grad():
        for x_val, y_val in val_loader:
            model.eval()
            yhat = model(x_val)
            val_loss = loss_fn(y_val, yhat)
            val_losses.append(val_loss.item())
fabric.print(model.state_dict())
fabric.print(f"last train loss {losses[-1]:.6f}, last val loss {val_losses[-1]:.6f}")
