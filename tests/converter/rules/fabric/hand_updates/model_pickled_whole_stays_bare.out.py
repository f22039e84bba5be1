import torch
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

model = torch.nn.Linear(4, 1)
lr = 0.05
for step in range(5):
    loss = model(torch.randn(16, 4)).pow(2).mean()
    model.zero_grad()
    fabric.backward(loss)
    with torch.no_grad():
        for name, param in model.named_parameters():
            param -= lr * param.grad
torch.save(model, "model.pt")
