# t2l-fixture: verify --steps 16
"""The Kaggle-notebook shape: tqdm with set_postfix, clipping, OneCycleLR stepped per batch, and an inline
evaluation that collects predictions in lists made in the epoch loop before its `with torch.no_grad():`, then an
accuracy and a best checkpoint. validation_step once appended to lists that existed only at epoch end (NameError
in the sanity check, after a clean exit); they are now made in on_validation_epoch_start."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from tqdm import tqdm
from lightning_fabric import Fabric

torch.manual_seed(0)
x = torch.randn(320, 8)
y = (x[:, :4].sum(1) > x[:, 4:].sum(1)).long()
train_loader = DataLoader(TensorDataset(x[:256], y[:256]), batch_size=32, shuffle=True)
valid_loader = DataLoader(TensorDataset(x[256:], y[256:]), batch_size=32)
device = "cuda" if torch.cuda.is_available() else "cpu"
fabric = Fabric(accelerator=torch.device(device).type, devices=1)
fabric.launch()
train_loader = fabric.setup_dataloaders(train_loader)
valid_loader = fabric.setup_dataloaders(valid_loader)
model = nn.Sequential(nn.Linear(8, 32), nn.GELU(), nn.Linear(32, 2))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
model, optimizer = fabric.setup(model, optimizer)
scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=3e-3, total_steps=3 * len(train_loader))
best_acc = 0.0

for epoch in range(3):
    model.train()
    pbar = tqdm(train_loader, desc=f"epoch {epoch}")
    for xb, yb in pbar:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        fabric.backward(loss)
        fabric.clip_gradients(model, optimizer, max_norm=1.0, error_if_nonfinite=False)
        optimizer.step()
        scheduler.step()
        pbar.set_postfix(loss=loss.item())

    model.eval()
    all_preds, all_labels = [], []
    with torch.no_grad():
        for xb, yb in valid_loader:
            all_preds.append(model(xb).argmax(1).cpu())
            all_labels.append(yb)
    acc = (torch.cat(all_preds) == torch.cat(all_labels)).float().mean().item()
    fabric.print(f"epoch {epoch} valid acc {acc:.4f}")
    if acc > best_acc:
        best_acc = acc
        torch.save(model.state_dict(), "best.pt")
