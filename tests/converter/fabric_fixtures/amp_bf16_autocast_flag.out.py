# t2l-fixture: verify --steps 8
"""bfloat16 autocast switched by a flag, on whichever device the script picks (the CPU here, so --verify runs
real bf16 on both sides): forward and loss under autocast, gradients clipped, evaluation under autocast too."""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

parser = argparse.ArgumentParser(description="MLP classifier with bf16 autocast")
parser.add_argument("--no-amp", action="store_true", help="train in float32")
parser.add_argument("--epochs", type=int, default=2)
args = parser.parse_args()
use_amp = not args.no_amp

device = "cuda" if torch.cuda.is_available() else "cpu"
fabric = Fabric(accelerator=torch.device(device).type, devices=1, precision="bf16-mixed" if use_amp else "32-true")
fabric.launch()
torch.manual_seed(0)
features, labels = torch.randn(96, 20), torch.randint(0, 4, (96,))
train_loader = DataLoader(TensorDataset(features[:64], labels[:64]), batch_size=16, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
val_loader = DataLoader(TensorDataset(features[64:], labels[64:]), batch_size=16)
val_loader = fabric.setup_dataloaders(val_loader)

model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 4))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
model, optimizer = fabric.setup(model, optimizer)

for epoch in range(args.epochs):
    model.train()
    for inputs, targets in train_loader:
        optimizer.zero_grad()
        with fabric.autocast():
            logits = model(inputs)
            loss = F.cross_entropy(logits, targets)
        fabric.backward(loss)
        fabric.clip_gradients(model, optimizer, max_norm=1.0, error_if_nonfinite=False)
        optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for inputs, targets in val_loader:
            with fabric.autocast():
                correct += (model(inputs).argmax(dim=1) == targets).sum().item()
    fabric.print(f"epoch {epoch}: loss {loss.item():.4f}, val accuracy {correct / len(val_loader.dataset):.3f}")
