import torch
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


def fit(epochs, lr, model, opt_func=torch.optim.SGD):
    optimizer = opt_func(model.parameters(), lr)
    model, optimizer = fabric.setup(model, optimizer)
    for epoch in range(epochs):
        loss = model(torch.randn(8, 4)).pow(2).mean()
        fabric.backward(loss)
        optimizer.step()
        optimizer.zero_grad()


model = torch.nn.Linear(4, 1)
opt_func = torch.optim.Adam
fit(3, 0.01, model, opt_func=opt_func)
