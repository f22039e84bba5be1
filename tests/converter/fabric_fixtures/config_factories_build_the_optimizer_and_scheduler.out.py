# t2l-fixture: verify --steps 60 -- --scheduler none
"""Config-driven training scripts build the optimizer and the scheduler in functions of their own
(`get_optimizer(cfg, model)`, with no weight decay on biases: groups filled in a loop over named_parameters();
`get_scheduler(cfg, optimizer)`, which may return None), train through train_one_epoch/validate functions and keep
the best checkpoint; the learning rate is printed each epoch."""
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


def get_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--optimizer", default="adamw", choices=["sgd", "adamw"])
    parser.add_argument("--scheduler", default="cosine", choices=["cosine", "step", "none"])
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--epochs", type=int, default=4)
    return parser.parse_args()


def get_optimizer(cfg, model):
    decay, no_decay = [], []
    for name, param in model.named_parameters():
        (no_decay if name.endswith("bias") else decay).append(param)
    groups = [{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0.0}]
    if cfg.optimizer == "sgd":
        return torch.optim.SGD(groups, lr=cfg.lr, momentum=0.9, nesterov=True)
    return torch.optim.AdamW(groups, lr=cfg.lr)


def get_scheduler(cfg, optimizer):
    if cfg.scheduler == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=cfg.epochs)
    if cfg.scheduler == "step":
        return torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    return None


def train_one_epoch(model, loader, optimizer, criterion):
    model.train()
    total, seen = 0.0, 0
    for inputs, target in loader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), target)
        fabric.backward(loss)
        optimizer.step()
        total += loss.item() * inputs.size(0)
        seen += inputs.size(0)
    return total / seen


@torch.no_grad()
def validate(model, loader, criterion):
    model.eval()
    total, correct, seen = 0.0, 0, 0
    for inputs, target in loader:
        output = model(inputs)
        total += criterion(output, target).item() * inputs.size(0)
        correct += (output.argmax(dim=1) == target).sum().item()
        seen += inputs.size(0)
    return total / seen, correct / seen


def main():
    cfg = get_args()
    torch.manual_seed(0)
    x = torch.randn(480, 24)
    y = (x[:, :6].sum(1) > 0).long() + (x[:, 6:8].sum(1) > 1).long()
    train_loader = DataLoader(TensorDataset(x[:400], y[:400]), batch_size=32, shuffle=True)
    train_loader = fabric.setup_dataloaders(train_loader)
    val_loader = DataLoader(TensorDataset(x[400:], y[400:]), batch_size=80)
    val_loader = fabric.setup_dataloaders(val_loader)
    model = nn.Sequential(nn.Linear(24, 48), nn.LayerNorm(48), nn.ReLU(), nn.Linear(48, 3))
    criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
    optimizer = get_optimizer(cfg, model)
    model, optimizer = fabric.setup(model, optimizer)
    scheduler = get_scheduler(cfg, optimizer)
    best = 0.0
    for epoch in range(cfg.epochs):
        train_loss = train_one_epoch(model, train_loader, optimizer, criterion)
        val_loss, val_acc = validate(model, val_loader, criterion)
        if scheduler is not None:
            scheduler.step()
        fabric.print(f"epoch {epoch}: train {train_loss:.4f} val {val_loss:.4f} acc {val_acc:.3f} "
              f"lr {optimizer.param_groups[0]['lr']:.5f}")
        if val_acc > best:
            best = val_acc
            torch.save({"epoch": epoch, "model": model.state_dict(), "optimizer": optimizer.state_dict()}, "best.pt")
    fabric.print(f"best acc {best:.3f}")


if __name__ == "__main__":
    main()
