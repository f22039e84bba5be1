import torch
from lightning_fabric import Fabric

device = torch.device("cpu")
fabric = Fabric(accelerator=device.type, devices=1)
fabric.launch()
model = torch.nn.Linear(4, 1).to(device)
fabric.print(model(torch.randn(1, 4, device=device)).shape)  # used on the device before the optimizer exists
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
for step in range(3):
    loss = model(torch.randn(8, 4, device=device)).pow(2).mean()
    optimizer.zero_grad()
    fabric.backward(loss)
    optimizer.step()
