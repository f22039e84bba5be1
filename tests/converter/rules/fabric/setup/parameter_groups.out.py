import torch
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

encoder, head = torch.nn.Linear(4, 8), torch.nn.Linear(8, 1)
optimizer = torch.optim.SGD([{"params": encoder.parameters()}, {"params": head.parameters(), "lr": 0.01}], lr=0.1)
encoder = fabric.setup_module(encoder)
head = fabric.setup_module(head)
optimizer = fabric.setup_optimizers(optimizer)
for step in range(3):
    loss = head(encoder(torch.randn(8, 4))).pow(2).mean()
    optimizer.zero_grad()
    fabric.backward(loss)
    optimizer.step()
