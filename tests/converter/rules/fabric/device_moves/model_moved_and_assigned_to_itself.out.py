import torch
from lightning_fabric import Fabric

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
fabric = Fabric(accelerator=device.type, devices=1)
fabric.launch()
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
for step in range(3):
    loss = model(torch.randn(8, 4, device=device)).pow(2).mean()
    optimizer.zero_grad()
    fabric.backward(loss)
    optimizer.step()
