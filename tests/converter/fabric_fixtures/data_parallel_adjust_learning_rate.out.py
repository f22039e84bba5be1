# t2l-fixture: verify --steps 24
"""Older-style script: nn.DataParallel when several GPUs are counted, the learning rate set by hand each epoch
(adjust_learning_rate), the logging module for the epoch summary."""
import logging

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

logging.basicConfig(level=logging.INFO, format="%(message)s")
logger = logging.getLogger(__name__)

torch.manual_seed(0)
x = torch.randn(256, 10)
y = (x.sum(1) > 0).long()
train_loader = DataLoader(TensorDataset(x[:192], y[:192]), batch_size=32, shuffle=True)
val_loader = DataLoader(TensorDataset(x[192:], y[192:]), batch_size=32)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 32)
        self.fc2 = nn.Linear(32, 2)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
fabric = Fabric(accelerator=device.type, devices=1)
fabric.launch()
train_loader = fabric.setup_dataloaders(train_loader)
val_loader = fabric.setup_dataloaders(val_loader)
model = Net()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
model, optimizer = fabric.setup(model, optimizer)
criterion = nn.CrossEntropyLoss()


def adjust_learning_rate(optimizer, epoch, base_lr=0.1):
    lr = base_lr * (0.5 ** (epoch // 2))
    for param_group in optimizer.param_groups:
        param_group["lr"] = lr


for epoch in range(4):
    adjust_learning_rate(optimizer, epoch)
    model.train()
    running = 0.0
    for inputs, targets in train_loader:
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = criterion(outputs, targets)
        fabric.backward(loss)
        optimizer.step()
        running += loss.item()
    model.eval()
    correct = 0
    with torch.no_grad():
        for inputs, targets in val_loader:
            correct += (model(inputs).argmax(1) == targets).sum().item()
    logger.info("epoch %d loss %.4f acc %.4f", epoch, running / len(train_loader), correct / 64)
