# t2l-fixture: verify --steps 50
"""K-fold in main(): per fold a new model, AdamW and StepLR, a validation each epoch, the best weights kept by
deepcopy and saved, early stopping after two epochs without improvement, the best weights loaded back and the
fold's best loss collected. The LightningModule route fits a Trainer per fold; nothing crosses folds."""
import copy

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


def make_model():
    return nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 2))


def main():
    torch.manual_seed(0)
    x = torch.randn(150, 6)
    y = (x[:, 0] + x[:, 1] > 0).long()
    folds = torch.arange(150).chunk(3)
    scores = []
    for k, val_idx in enumerate(folds):
        train_idx = torch.cat([f for i, f in enumerate(folds) if i != k])
        train_loader = DataLoader(TensorDataset(x[train_idx], y[train_idx]), batch_size=20, shuffle=True)
        train_loader = fabric.setup_dataloaders(train_loader)
        val_loader = DataLoader(TensorDataset(x[val_idx], y[val_idx]), batch_size=50)
        val_loader = fabric.setup_dataloaders(val_loader)
        model = make_model()
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
        model, optimizer = fabric.setup(model, optimizer)
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
        best_loss, best_state, bad_epochs = float("inf"), None, 0
        for epoch in range(8):
            model.train()
            for xb, yb in train_loader:
                optimizer.zero_grad()
                loss = nn.functional.cross_entropy(model(xb), yb)
                fabric.backward(loss)
                optimizer.step()
            scheduler.step()
            model.eval()
            val_loss = 0.0
            with torch.no_grad():
                for xb, yb in val_loader:
                    val_loss += nn.functional.cross_entropy(model(xb), yb, reduction="sum").item()
            val_loss /= len(val_idx)
            if val_loss < best_loss:
                best_loss, best_state, bad_epochs = val_loss, copy.deepcopy(model.state_dict()), 0
                torch.save(best_state, f"fold{k}.pt")
            else:
                bad_epochs += 1
                if bad_epochs >= 2:
                    fabric.print(f"fold {k}: early stop at epoch {epoch}")
                    break
        model.load_state_dict(best_state)
        scores.append(best_loss)
        fabric.print(f"fold {k}: best val loss {best_loss:.5f}")
    fabric.print("cv loss", sum(scores) / len(scores))


if __name__ == "__main__":
    main()
