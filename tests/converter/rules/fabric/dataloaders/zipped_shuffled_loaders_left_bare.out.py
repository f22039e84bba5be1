import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
labeled = DataLoader(TensorDataset(torch.randn(24, 6), torch.randint(0, 3, (24,))), batch_size=8, shuffle=True)
unlabeled = DataLoader(TensorDataset(torch.randn(48, 6)), batch_size=16, shuffle=True)
model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
model, optimizer = fabric.setup(model, optimizer)
lambda_u = 0.5


def consistency(x):
    with torch.no_grad():
        pseudo = model(x).softmax(-1).argmax(-1)
    return F.cross_entropy(model(x + 0.1 * torch.randn_like(x)), pseudo)


for epoch in range(3):
    model.train()
    epoch_loss = 0.0
    for (x_l, y_l), (x_u,) in zip(labeled, unlabeled):
        loss = F.cross_entropy(model(x_l), y_l) + lambda_u * consistency(x_u)
        optimizer.zero_grad()
        fabric.backward(loss)
        optimizer.step()
        epoch_loss += loss.item()
    fabric.print(epoch, round(epoch_loss, 4), optimizer.param_groups[0]["lr"])
