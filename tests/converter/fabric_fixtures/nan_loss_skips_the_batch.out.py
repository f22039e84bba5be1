# t2l-fixture: verify --steps 24
"""Tabular regression in the shape of public scripts: a Dataset of dict samples with one corrupt row, a NaN check
that prints and skips the batch before backward, gradient clipping, DataParallel when several GPUs, and an
evaluation that leaves NaN batches out of its total."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from lightning_fabric import Fabric

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
fabric = Fabric(accelerator=device.type, devices=1)
fabric.launch()


class RowsDataset(Dataset):
    def __init__(self, n, corrupt_row=None):
        self.features = torch.randn(n, 6)
        self.targets = self.features[:, :2].sum(dim=1, keepdim=True) + 0.1 * torch.randn(n, 1)
        if corrupt_row is not None:
            self.features[corrupt_row, 2] = float("nan")

    def __len__(self):
        return len(self.features)

    def __getitem__(self, i):
        return {"features": self.features[i], "target": self.targets[i]}


train_loader = DataLoader(RowsDataset(64, corrupt_row=5), batch_size=8, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
val_loader = DataLoader(RowsDataset(32, corrupt_row=3), batch_size=8)
val_loader = fabric.setup_dataloaders(val_loader)

model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
criterion = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
model, optimizer = fabric.setup(model, optimizer)

for epoch in range(3):
    model.train()
    running, counted = 0.0, 0
    for batch_idx, batch in enumerate(train_loader):
        x = batch["features"].to(device)
        y = batch["target"].to(device)
        outputs = model(x)
        loss = criterion(outputs, y)
        if torch.isnan(loss):
            fabric.print(f"NaN loss at batch {batch_idx}, skipped")
            continue
        optimizer.zero_grad()
        fabric.backward(loss)
        fabric.clip_gradients(model, optimizer, max_norm=1.0, error_if_nonfinite=False)
        optimizer.step()
        running += loss.item()
        counted += 1
    model.eval()
    val_loss, val_batches = 0.0, 0
    with torch.no_grad():
        for batch in val_loader:
            x = batch["features"].to(device)
            y = batch["target"].to(device)
            batch_loss = criterion(model(x), y)
            if not torch.isnan(batch_loss):
                val_loss += batch_loss.item()
                val_batches += 1
    fabric.print(f"epoch {epoch}: train {running / counted:.4f} val {val_loss / val_batches:.4f}")
