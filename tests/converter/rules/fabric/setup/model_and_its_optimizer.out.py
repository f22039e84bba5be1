import torch
from torch import nn, optim
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
opt = optim.Adam(net.parameters(), lr=1e-3)
net, opt = fabric.setup(net, opt)
scheduler = optim.lr_scheduler.StepLR(opt, step_size=1)
for epoch in range(2):
    loss = net(torch.randn(8, 4)).pow(2).mean()
    opt.zero_grad()
    fabric.backward(loss)
    opt.step()
    scheduler.step()
