# t2l-fixture: verify --steps 15
"""A multi-task step: a classification and a regression head on one trunk, their losses back-propagated one after the
other (retain_graph on the first), one optimizer step."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
trunk = nn.Sequential(nn.Linear(6, 16), nn.ReLU())
cls_head, reg_head = nn.Linear(16, 3), nn.Linear(16, 1)
params = list(trunk.parameters()) + list(cls_head.parameters()) + list(reg_head.parameters())
optimizer = torch.optim.Adam(params, lr=1e-3)
trunk = fabric.setup_module(trunk)
cls_head = fabric.setup_module(cls_head)
reg_head = fabric.setup_module(reg_head)
optimizer = fabric.setup_optimizers(optimizer)
loader = DataLoader(TensorDataset(torch.randn(40, 6), torch.randint(0, 3, (40,)), torch.randn(40, 1)), batch_size=8, shuffle=True)
loader = fabric.setup_dataloaders(loader)
for epoch in range(3):
    totals = [0.0, 0.0]
    for x, y_cls, y_reg in loader:
        optimizer.zero_grad()
        features = trunk(x)
        loss_cls = nn.functional.cross_entropy(cls_head(features), y_cls)
        loss_reg = nn.functional.mse_loss(reg_head(features), y_reg)
        fabric.backward(loss_cls, retain_graph=True)
        fabric.backward(0.5 * loss_reg)
        optimizer.step()
        totals[0] += loss_cls.item()
        totals[1] += loss_reg.item()
    fabric.print(epoch, [round(t / len(loader), 6) for t in totals])
