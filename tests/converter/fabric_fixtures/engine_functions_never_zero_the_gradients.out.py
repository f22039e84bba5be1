# t2l-fixture: verify --steps 18
"""Kaggle-engine shape (train_fn / eval_fn), a dict dataset moved to the device key by key,
the model computing its own loss (`_, loss = model(**data)`), and no optimizer.zero_grad() anywhere: gradients add
up over every batch (as the script was written), a linear scheduler stepped each batch."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm
from lightning_fabric import Fabric


class DictDataset(Dataset):
    def __init__(self, n):
        g = torch.Generator().manual_seed(1)
        self.x, self.y = torch.randn(n, 6, generator=g), torch.randint(0, 3, (n,), generator=g)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"features": self.x[i], "targets": self.y[i]}


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Sequential(nn.Linear(6, 12), nn.ReLU(), nn.Linear(12, 3))

    def forward(self, features, targets=None):
        out = self.fc(features)
        loss = nn.functional.cross_entropy(out, targets) if targets is not None else None
        return out, loss


def train_fn(data_loader, model, optimizer, device, scheduler):
    model.train()
    final_loss = 0
    for data in tqdm(data_loader, total=len(data_loader)):
        for k, v in data.items():
            data[k] = v.to(device)
        _, loss = model(**data)
        fabric.backward(loss)
        optimizer.step()
        scheduler.step()
        final_loss += loss.item()
    return final_loss / len(data_loader)


def eval_fn(data_loader, model, device):
    model.eval()
    final_loss = 0
    with torch.no_grad():
        for data in tqdm(data_loader, total=len(data_loader)):
            for k, v in data.items():
                data[k] = v.to(device)
            _, loss = model(**data)
            final_loss += loss.item()
    return final_loss / len(data_loader)


def run():
    global fabric
    torch.manual_seed(0)
    device = "cpu"
    fabric = Fabric(accelerator=torch.device(device).type, devices=1)
    fabric.launch()
    train_loader = DataLoader(DictDataset(48), batch_size=8, shuffle=True)
    train_loader = fabric.setup_dataloaders(train_loader)
    valid_loader = DataLoader(DictDataset(16), batch_size=8)
    valid_loader = fabric.setup_dataloaders(valid_loader)
    model = Model()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    model, optimizer = fabric.setup(model, optimizer)
    scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1.0, end_factor=0.1, total_iters=18)
    best_loss = 1e9
    for epoch in range(3):
        train_loss = train_fn(train_loader, model, optimizer, device, scheduler)
        valid_loss = eval_fn(valid_loader, model, device)
        fabric.print(f"epoch {epoch} train {train_loss:.4f} valid {valid_loss:.4f}")
        if valid_loss < best_loss:
            torch.save(model.state_dict(), "model.bin")
            best_loss = valid_loss


if __name__ == "__main__":
    run()
