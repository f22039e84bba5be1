# t2l-fixture: verify --steps 16
"""Validation every few batches inside the training loop, after the optimizer step (the tutorial-collection shape):
eval mode, a loop over the validation loader under no_grad, the accuracy printed, train mode again."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
train_loader = DataLoader(TensorDataset(torch.randn(64, 5), torch.randint(0, 3, (64,))), batch_size=8, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
val_loader = DataLoader(TensorDataset(torch.randn(24, 5), torch.randint(0, 3, (24,))), batch_size=8)
val_loader = fabric.setup_dataloaders(val_loader)
model = nn.Sequential(nn.Linear(5, 16), nn.Dropout(0.2), nn.ReLU(), nn.Linear(16, 3))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
model, optimizer = fabric.setup(model, optimizer)
eval_every = 4
for epoch in range(2):
    for i, (x, y) in enumerate(train_loader):
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        fabric.backward(loss)
        optimizer.step()
        if (i + 1) % eval_every == 0:
            model.eval()
            correct = 0
            with torch.no_grad():
                for xv, yv in val_loader:
                    correct += (model(xv).argmax(1) == yv).sum().item()
            fabric.print(f"epoch {epoch} step {i + 1} val acc {correct / len(val_loader.dataset):.4f}")
            model.train()
