# t2l-fixture: verify --steps 24
"""The phases as tuples: `for phase, loader, is_train in [("train", ...), ("val", ...)]` with `model.train(is_train)`,
`torch.set_grad_enabled(is_train)` and the step under `if is_train:` (one body for both, the totals shared)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
x = torch.randn(120, 5)
y = (x.sum(1) > 0).long()
train_loader = DataLoader(TensorDataset(x[:96], y[:96]), batch_size=12, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
val_loader = DataLoader(TensorDataset(x[96:], y[96:]), batch_size=12)
val_loader = fabric.setup_dataloaders(val_loader)
model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 2))
criterion = nn.CrossEntropyLoss()
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
model, opt = fabric.setup(model, opt)

for epoch in range(3):
    for phase, loader, is_train in [("train", train_loader, True), ("val", val_loader, False)]:
        model.train(is_train)
        total_loss, correct, n = 0.0, 0, 0
        with torch.set_grad_enabled(is_train):
            for xb, yb in loader:
                out = model(xb)
                loss = criterion(out, yb)
                if is_train:
                    opt.zero_grad(); fabric.backward(loss); opt.step()
                total_loss += loss.item() * xb.size(0)
                correct += (out.argmax(1) == yb).sum().item()
                n += xb.size(0)
        fabric.print(f"epoch {epoch} {phase}: loss {total_loss / n:.4f} acc {correct / n:.3f}")
