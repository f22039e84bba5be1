import torch
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
x, y = torch.randn(32, 1), torch.randn(32, 1)
nets = [torch.nn.Linear(1, 1) for _ in range(3)]
opts = [torch.optim.SGD(nets[0].parameters(), lr=0.1), torch.optim.RMSprop(nets[1].parameters(), lr=0.1),
        torch.optim.Adam(nets[2].parameters(), lr=0.1)]
nets[0], opts[0] = fabric.setup(nets[0], opts[0])
nets[1], opts[1] = fabric.setup(nets[1], opts[1])
nets[2], opts[2] = fabric.setup(nets[2], opts[2])
for epoch in range(3):
    for step in range(8):
        for net, opt in zip(nets, opts):
            loss = torch.nn.functional.mse_loss(net(x), y)
            opt.zero_grad()
            fabric.backward(loss)
            opt.step()
