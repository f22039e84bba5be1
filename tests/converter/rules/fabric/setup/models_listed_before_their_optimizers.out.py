import torch
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
x, y = torch.randn(32, 1), torch.randn(32, 1)
net_sgd = torch.nn.Linear(1, 1)
net_sgd = fabric.setup_module(net_sgd)
net_adam = torch.nn.Linear(1, 1)
net_adam = fabric.setup_module(net_adam)
nets = [net_sgd, net_adam]
opt_sgd = torch.optim.SGD(net_sgd.parameters(), lr=0.1)
opt_sgd = fabric.setup_optimizers(opt_sgd)
opt_adam = torch.optim.Adam(net_adam.parameters(), lr=0.1)
opt_adam = fabric.setup_optimizers(opt_adam)
for step in range(8):
    for net, opt in zip(nets, [opt_sgd, opt_adam]):
        loss = torch.nn.functional.mse_loss(net(x), y)
        opt.zero_grad()
        fabric.backward(loss)
        opt.step()
