# t2l-fixture: verify --steps 12
"""An epoch loop that evaluates first, then trains (each epoch prints the accuracy before its training), a model with
dropout, and one more evaluation after the loop."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
train_loader = DataLoader(TensorDataset(torch.randn(48, 6), torch.randint(0, 3, (48,))), batch_size=12, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
val_loader = DataLoader(TensorDataset(torch.randn(24, 6), torch.randint(0, 3, (24,))), batch_size=12)
val_loader = fabric.setup_dataloaders(val_loader)


def evaluate():
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in val_loader:
            correct += (model(x).argmax(1) == y).sum().item()
    return correct / len(val_loader.dataset)


for epoch in range(3):
    acc = evaluate()
    fabric.print(f"epoch {epoch} accuracy before training {acc:.4f}")
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        fabric.backward(loss)
        optimizer.step()
fabric.print(f"final accuracy {evaluate():.4f}")
