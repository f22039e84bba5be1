# t2l-fixture: verify --steps 20
"""Logistic regression on synthetic digits, in the shape of PyTorch's "What is torch.nn really?" tutorial: one
function computes a batch's loss and, given an optimizer, takes the step; validation calls it without one."""
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

inputs = torch.randn(480, 64, generator=torch.Generator().manual_seed(7))
classes = inputs[:, :10].argmax(dim=1)
train_ds, valid_ds = TensorDataset(inputs[:384], classes[:384]), TensorDataset(inputs[384:], classes[384:])
bs, lr, epochs = 48, 0.2, 3
loss_func = F.cross_entropy


def get_data(train_ds, valid_ds, bs):
    return fabric.setup_dataloaders(DataLoader(train_ds, batch_size=bs, shuffle=True), DataLoader(valid_ds, batch_size=bs * 2))


def get_model():
    model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    return fabric.setup(model, optim.SGD(model.parameters(), lr=lr, momentum=0.9))


def batch_loss(model, loss_func, xb, yb, opt=None):
    loss = loss_func(model(xb), yb)
    if opt is not None:
        fabric.backward(loss)
        opt.step()
        opt.zero_grad()
    return loss.item(), len(xb)


def fit(epochs, model, loss_func, opt, train_dl, valid_dl):
    for epoch in range(epochs):
        model.train()
        for xb, yb in train_dl:
            batch_loss(model, loss_func, xb, yb, opt)
        model.eval()
        with torch.no_grad():
            losses, nums = zip(*[batch_loss(model, loss_func, xb, yb) for xb, yb in valid_dl])
        fabric.print(epoch, np.sum(np.multiply(losses, nums)) / np.sum(nums))


train_dl, valid_dl = get_data(train_ds, valid_ds, bs)
model, opt = get_model()
fit(epochs, model, loss_func, opt, train_dl, valid_dl)
