import torch
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
model = fabric.setup_module(model)
lr = 0.1


def train(x, y):
    loss = torch.nn.functional.mse_loss(model(x), y)
    model.zero_grad()
    fabric.backward(loss)
    for p in model.parameters():
        p.data.add_(p.grad, alpha=-lr)
    return loss.item()


for step in range(5):
    fabric.print(f"step {step}: {train(torch.randn(16, 4), torch.randn(16, 1)):.4f}")
