import torch
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

model = torch.compile(torch.nn.Linear(4, 1))
fabric.print(type(model._orig_mod).__name__)  # before the set-up: still the compiled module's
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
for step in range(3):
    loss = model(torch.randn(8, 4)).pow(2).mean()
    optimizer.zero_grad()
    fabric.backward(loss)
    optimizer.step()
torch.save(model.module.state_dict(), "weights.pt")
