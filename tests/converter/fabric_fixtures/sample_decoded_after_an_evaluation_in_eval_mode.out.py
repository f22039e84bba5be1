# t2l-fixture: verify --steps 30
"""Samples decoded after an evaluation function that switched the decoder to eval mode (dropout off) and not back."""
import torch
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)

decoder = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Dropout(0.2), torch.nn.Linear(8, 4))
optimizer = torch.optim.Adam(decoder.parameters(), lr=1e-3)
decoder, optimizer = fabric.setup(decoder, optimizer)
train_loader = DataLoader(TensorDataset(torch.randn(16, 2), torch.randn(16, 4)), batch_size=4, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
val_loader = DataLoader(TensorDataset(torch.randn(8, 2), torch.randn(8, 4)), batch_size=4)
val_loader = fabric.setup_dataloaders(val_loader)


def evaluate(model):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for z, x in val_loader:
            total += torch.nn.functional.mse_loss(model(z), x).item()
    return total / len(val_loader)


for epoch in range(3):
    decoder.train()
    for z, x in train_loader:
        optimizer.zero_grad()
        fabric.backward(torch.nn.functional.mse_loss(decoder(z), x))
        optimizer.step()
    val_loss = evaluate(decoder)
    with torch.no_grad():
        samples = decoder(torch.randn(4, 2))
    fabric.print(epoch, val_loss, samples.mean().item())
