# t2l-fixture: verify --steps 30
"""An Optuna-style objective: a function that builds and trains a model for the trial's parameters, reports the
validation accuracy each epoch to the trial (which may prune, by raising), and returns the last epoch's accuracy; a
study loop calls it for each trial. The accuracy the epoch's end computes is kept on the module and returned as
`lit_model.accuracy` (it was a local of on_train_epoch_end: the return raised NameError, marked T2L909)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


class TrialPruned(Exception):
    pass


class Trial:
    def __init__(self, number, params):
        self.number, self.params, self.reports = number, params, []

    def suggest_float(self, name, low, high, log=False):
        return self.params[name]

    def report(self, value, step):
        self.reports.append((step, value))

    def should_prune(self):
        return len(self.reports) >= 2 and self.reports[-1][1] < 0.3


torch.manual_seed(0)
X = torch.randn(200, 5)
Y = (X[:, 0] > 0).long()
train_loader = DataLoader(TensorDataset(X[:160], Y[:160]), batch_size=20, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
valid_loader = DataLoader(TensorDataset(X[160:], Y[160:]), batch_size=20)
valid_loader = fabric.setup_dataloaders(valid_loader)


def objective(trial):
    lr = trial.suggest_float("lr", 1e-3, 1e-1, log=True)
    model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    model, optimizer = fabric.setup(model, optimizer)
    for epoch in range(3):
        model.train()
        for data, target in train_loader:
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(data), target)
            fabric.backward(loss)
            optimizer.step()
        model.eval()
        correct = 0
        with torch.no_grad():
            for data, target in valid_loader:
                correct += model(data).argmax(1).eq(target).sum().item()
        accuracy = correct / len(valid_loader.dataset)
        trial.report(accuracy, epoch)
        if trial.should_prune():
            raise TrialPruned()
    return accuracy


for number, lr in enumerate([0.01, 0.05]):
    try:
        value = objective(Trial(number, {"lr": lr}))
        fabric.print(f"trial {number}: accuracy {value:.3f}")
    except TrialPruned:
        fabric.print(f"trial {number}: pruned")
