# t2l-fixture: unchanged
"""An older tutorial's learning-rate decay: the optimizer built anew at each epoch's start with the decayed rate,
so its momentum restarts every epoch. Declined on the LightningModule route (T2L928, Lightning builds it once);
the Fabric route sets the model up once and each new optimizer as it is built (T2L317)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


def train_epoch(model, loader, optimizer, criterion):
    model.train()
    total = 0.0
    for inputs, targets in loader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), targets)
        fabric.backward(loss)
        optimizer.step()
        total += loss.item()
    return total / len(loader)


if __name__ == "__main__":
    torch.manual_seed(0)
    inputs = torch.randn(160, 4)
    targets = (inputs[:, 0] > 0).long() + (inputs[:, 1] > 0).long()
    loader = DataLoader(TensorDataset(inputs, targets), batch_size=16, shuffle=True)
    loader = fabric.setup_dataloaders(loader)
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
    model = fabric.setup_module(model)
    criterion = nn.CrossEntropyLoss()
    lr = 0.1
    for epoch in range(4):
        optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
        optimizer = fabric.setup_optimizers(optimizer)
        average = train_epoch(model, loader, optimizer, criterion)
        lr *= 0.5
        fabric.print(f"epoch {epoch} lr {lr:.4f} loss {average:.4f}")
