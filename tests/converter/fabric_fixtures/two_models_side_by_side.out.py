# t2l-fixture: verify --steps 30
"""Dropout vs none, trained side by side in one loop (the tutorial-collection comparison shape): every loss, then
every backward, then every step (no toggle_optimizer: it would freeze the second net before its backward), and an
eval()/train() pair around a periodic test prediction after the step (kept: dropout there would draw from the RNG)."""
import torch
import torch.nn as nn
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(1)
N_HIDDEN = 50
x = torch.unsqueeze(torch.linspace(-1, 1, 20), 1)
y = x + 0.3 * torch.normal(torch.zeros(20, 1), torch.ones(20, 1))
test_x = torch.unsqueeze(torch.linspace(-1, 1, 20), 1)
test_y = test_x + 0.3 * torch.normal(torch.zeros(20, 1), torch.ones(20, 1))

net_overfitting = nn.Sequential(nn.Linear(1, N_HIDDEN), nn.ReLU(), nn.Linear(N_HIDDEN, 1))
net_dropped = nn.Sequential(nn.Linear(1, N_HIDDEN), nn.Dropout(0.5), nn.ReLU(), nn.Linear(N_HIDDEN, 1))

optimizer_ofit = torch.optim.Adam(net_overfitting.parameters(), lr=0.01)
net_overfitting, optimizer_ofit = fabric.setup(net_overfitting, optimizer_ofit)
optimizer_drop = torch.optim.Adam(net_dropped.parameters(), lr=0.01)
net_dropped, optimizer_drop = fabric.setup(net_dropped, optimizer_drop)
loss_func = nn.MSELoss()

for t in range(30):
    pred_ofit = net_overfitting(x)
    pred_drop = net_dropped(x)
    loss_ofit = loss_func(pred_ofit, y)
    loss_drop = loss_func(pred_drop, y)

    optimizer_ofit.zero_grad()
    optimizer_drop.zero_grad()
    fabric.backward(loss_ofit)
    fabric.backward(loss_drop)
    optimizer_ofit.step()
    optimizer_drop.step()

    if t % 10 == 0:
        net_overfitting.eval()
        net_dropped.eval()
        test_pred_ofit = net_overfitting(test_x)
        test_pred_drop = net_dropped(test_x)
        fabric.print(t, loss_func(test_pred_ofit, test_y).item(), loss_func(test_pred_drop, test_y).item())
        net_overfitting.train()
        net_dropped.train()
