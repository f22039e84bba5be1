# t2l-fixture: verify --steps 30 -- --epochs 2 --folds 3
"""K-fold cross-validation in the shape of the k-fold twins: per fold, samplers over index subsets, two loaders,
a new model, optimizer and StepLR, then train/validate functions per epoch. Several models trained one after
another: the LightningModule route fits a Trainer per fold; Fabric sets each fold's model and loaders up in the loop."""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import TensorDataset
from lightning_fabric import Fabric


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(20, 32)
        self.dropout = nn.Dropout(0.25)
        self.fc2 = nn.Linear(32, 3)

    def forward(self, x):
        return F.log_softmax(self.fc2(self.dropout(F.relu(self.fc1(x)))), dim=1)


def train_epoch(model, loader, optimizer, epoch, fold):
    model.train()
    for batch_idx, (data, target) in enumerate(loader):
        optimizer.zero_grad()
        loss = F.nll_loss(model(data), target)
        fabric.backward(loss)
        optimizer.step()
        if batch_idx % 5 == 0:
            fabric.print(f"fold {fold} epoch {epoch} [{batch_idx * len(data)}/{len(loader.dataset)}] loss {loss.item():.4f}")


def validate(model, loader, fold):
    model.eval()
    loss, correct, seen = 0.0, 0, 0
    with torch.no_grad():
        for data, target in loader:
            output = model(data)
            loss += F.nll_loss(output, target, reduction="sum").item()
            correct += (output.argmax(dim=1) == target).sum().item()
            seen += len(target)
    fabric.print(f"fold {fold}: validation loss {loss / seen:.4f}, accuracy {100.0 * correct / seen:.0f}%")


def run(args):
    global fabric
    torch.manual_seed(args.seed)
    use_cuda = torch.cuda.is_available() and not args.no_cuda
    device = torch.device("cuda" if use_cuda else "cpu")
    fabric = Fabric(accelerator=device.type, devices=1)
    fabric.launch()
    data = torch.randn(240, 20)
    dataset = TensorDataset(data, (data[:, :3].sum(dim=1) > 0).long() + (data[:, 3] > 1).long())
    order = torch.randperm(len(dataset))
    folds = order.chunk(args.folds)
    for fold in range(args.folds):
        val_ids = folds[fold]
        train_ids = torch.cat([f for i, f in enumerate(folds) if i != fold])
        train_loader = torch.utils.data.DataLoader(dataset, batch_size=args.batch_size,
                                                   sampler=torch.utils.data.SubsetRandomSampler(train_ids))
        train_loader = fabric.setup_dataloaders(train_loader)
        val_loader = torch.utils.data.DataLoader(dataset, batch_size=args.batch_size,
                                                 sampler=torch.utils.data.SubsetRandomSampler(val_ids))
        val_loader = fabric.setup_dataloaders(val_loader)
        model = Net()
        optimizer = optim.Adadelta(model.parameters(), lr=args.lr)
        model, optimizer = fabric.setup(model, optimizer)
        scheduler = StepLR(optimizer, step_size=1, gamma=0.7)
        for epoch in range(1, args.epochs + 1):
            train_epoch(model, train_loader, optimizer, epoch, fold)
            scheduler.step()
            validate(model, val_loader, fold)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="k-fold cross-validation")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--lr", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-cuda", action="store_true")
    run(parser.parse_args())
