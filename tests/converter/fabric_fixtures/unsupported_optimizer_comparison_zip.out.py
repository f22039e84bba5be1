# t2l-fixture: unchanged
"""Comparing optimizers, in the shape of the classic tutorial: one small regression net per optimizer, the nets put
in a list before their optimizers are built, and all of them trained side by side in one loop over zip(nets, opts).
The LightningModule route declines (optimizers taken from a list); the Fabric route keeps the loop."""
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(1)
LR, BATCH_SIZE, EPOCHS = 0.01, 32, 2
x = torch.unsqueeze(torch.linspace(-1, 1, 256), dim=1)
y = x.pow(2) + 0.1 * torch.normal(torch.zeros(*x.size()))
loader = DataLoader(TensorDataset(x, y), batch_size=BATCH_SIZE, shuffle=True)
loader = fabric.setup_dataloaders(loader)


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = torch.nn.Linear(1, 20)
        self.predict = torch.nn.Linear(20, 1)

    def forward(self, x):
        return self.predict(F.relu(self.hidden(x)))


net_sgd, net_momentum, net_rmsprop, net_adam = Net(), Net(), Net(), Net()
net_sgd = fabric.setup_module(net_sgd)
net_momentum = fabric.setup_module(net_momentum)
net_rmsprop = fabric.setup_module(net_rmsprop)
net_adam = fabric.setup_module(net_adam)
nets = [net_sgd, net_momentum, net_rmsprop, net_adam]
opt_sgd = torch.optim.SGD(net_sgd.parameters(), lr=LR)
opt_sgd = fabric.setup_optimizers(opt_sgd)
opt_momentum = torch.optim.SGD(net_momentum.parameters(), lr=LR, momentum=0.8)
opt_momentum = fabric.setup_optimizers(opt_momentum)
opt_rmsprop = torch.optim.RMSprop(net_rmsprop.parameters(), lr=LR, alpha=0.9)
opt_rmsprop = fabric.setup_optimizers(opt_rmsprop)
opt_adam = torch.optim.Adam(net_adam.parameters(), lr=LR, betas=(0.9, 0.99))
opt_adam = fabric.setup_optimizers(opt_adam)
optimizers = [opt_sgd, opt_momentum, opt_rmsprop, opt_adam]
loss_func = torch.nn.MSELoss()
losses_his = [[], [], [], []]

for epoch in range(EPOCHS):
    for step, (b_x, b_y) in enumerate(loader):
        for net, opt, l_his in zip(nets, optimizers, losses_his):
            output = net(b_x)
            loss = loss_func(output, b_y)
            opt.zero_grad()
            fabric.backward(loss)
            opt.step()
            l_his.append(loss.item())
    fabric.print(f"epoch {epoch}: " + ", ".join(f"{name} {his[-1]:.4f}" for name, his in zip(["SGD", "Momentum", "RMSprop", "Adam"], losses_his)))
