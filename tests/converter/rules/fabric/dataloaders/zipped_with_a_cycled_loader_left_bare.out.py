from itertools import cycle

import torch
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
labeled = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=4, shuffle=True)
auxiliary = DataLoader(TensorDataset(torch.randn(8, 4)), batch_size=4, shuffle=True)  # fewer batches: cycled

for epoch in range(2):
    for (x, y), (extra,) in zip(labeled, cycle(auxiliary)):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y) + model(extra).pow(2).mean()
        fabric.backward(loss)
        optimizer.step()
