# t2l-fixture: verify --steps 11
"""Self-training: at each epoch's end the model labels an unlabeled pool, the confident samples join the training
set, and the next epoch's loader is built over the grown set."""
import torch
from torch import nn
from torch.utils.data import ConcatDataset, DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
labeled = TensorDataset(torch.randn(24, 5), torch.randint(0, 2, (24,)))
pool = torch.randn(40, 5)
model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
model, optimizer = fabric.setup(model, optimizer)
pseudo = TensorDataset(torch.empty(0, 5), torch.empty(0, dtype=torch.long))
for epoch in range(3):
    train_loader = DataLoader(ConcatDataset([labeled, pseudo]), batch_size=8, shuffle=True)
    train_loader = fabric.setup_dataloaders(train_loader)
    model.train()
    total = 0.0
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        fabric.backward(loss)
        optimizer.step()
        total += loss.item()
    model.eval()
    with torch.no_grad():
        probs = torch.softmax(model(pool), dim=1)
    confidence, labels = probs.max(dim=1)
    keep = confidence > 0.6
    pseudo = TensorDataset(pool[keep], labels[keep])
    fabric.print(f"epoch {epoch} loss {total / len(train_loader):.5f} pseudo-labeled {int(keep.sum())}")
