import torch
import torch.nn as nn
from lightning_fabric import Fabric

device = "cuda" if torch.cuda.is_available() else "cpu"
fabric = Fabric(accelerator=torch.device(device).type, devices=1)
fabric.launch()
model = nn.Linear(4, 1).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
for step in range(3):
    loss = model(torch.randn(8, 4, device=device)).pow(2).mean()
    optimizer.zero_grad()
    fabric.backward(loss)
    optimizer.step()
state = model.module.state_dict() if isinstance(model, nn.DataParallel) else model.state_dict()
torch.save({"model": state, "step": step}, "checkpoint.pt")
