"""Labeled batches zipped with an itertools.cycle over a smaller auxiliary loader (a consistency term)."""
from itertools import cycle

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
x = torch.randn(320, 6)
labeled = DataLoader(TensorDataset(x, (x[:, 0] > 0).long()), batch_size=32, shuffle=True)
aux = DataLoader(TensorDataset(torch.randn(64, 6)), batch_size=16, shuffle=True)
model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    for (xb, yb), (ub,) in zip(labeled, cycle(aux)):
        sup = nn.functional.cross_entropy(model(xb), yb)
        cons = nn.functional.mse_loss(model(ub).softmax(1), model(ub + 0.05 * torch.randn_like(ub)).softmax(1))
        loss = sup + 0.5 * cons
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print(f"epoch {epoch} loss {loss.item():.5f}")
