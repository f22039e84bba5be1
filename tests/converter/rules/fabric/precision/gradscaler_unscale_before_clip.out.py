import torch
from torch.cuda.amp import autocast
from lightning_fabric import Fabric

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
fabric = Fabric(accelerator=device.type, devices=1, precision="16-mixed" if device.type == "cuda" else "32-true")
fabric.launch()
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
for step in range(3):
    optimizer.zero_grad()
    with fabric.autocast():
        loss = model(torch.randn(8, 4, device=device)).pow(2).mean()
    fabric.backward(loss)
    fabric.clip_gradients(model, optimizer, max_norm=1.0, error_if_nonfinite=False)
    optimizer.step()
