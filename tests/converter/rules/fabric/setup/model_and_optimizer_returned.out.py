import torch
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


def get_model(lr):
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
    return fabric.setup(model, torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9))


model, opt = get_model(0.1)
for step in range(3):
    loss = model(torch.randn(8, 4)).pow(2).mean()
    fabric.backward(loss)
    opt.step()
    opt.zero_grad()
