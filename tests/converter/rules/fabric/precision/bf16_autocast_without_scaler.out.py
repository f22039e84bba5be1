import torch
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1, precision="bf16-mixed")
fabric.launch()

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
for step in range(3):
    optimizer.zero_grad()
    with fabric.autocast():
        loss = model(torch.randn(8, 4)).float().pow(2).mean()
    fabric.backward(loss)
    optimizer.step()
