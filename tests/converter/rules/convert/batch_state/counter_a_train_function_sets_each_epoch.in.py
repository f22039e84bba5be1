"""A counter a train function sets to 0 at each call counts the steps of one epoch: state reset at the epoch's start,
not self.global_step."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
X = torch.randn(120, 4)
Y = X.sum(1, keepdim=True)
loader = DataLoader(TensorDataset(X, Y), batch_size=10, shuffle=True)
model = nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
marks = []


def run_epoch(loader, accum_iter=2):
    n_accum = 0
    for i, (xb, yb) in enumerate(loader):
        loss = nn.functional.mse_loss(model(xb), yb)
        loss.backward()
        if i % accum_iter == 0:
            optimizer.step()
            optimizer.zero_grad()
            n_accum += 1
            marks.append(n_accum)


for epoch in range(3):
    run_epoch(loader)
print(marks)
