import torch
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

generator, critic = torch.nn.Linear(4, 4), torch.nn.Linear(4, 1)
# TODO(t2l): T2L944 optimizer built inside an expression (a list, a dict, an argument), not set up: on one device the script computes what it did; for DDP or precision=, set up each model with its optimizer by hand (fabric.setup(model, optimizer))
optimizers = {"generator": torch.optim.Adam(generator.parameters()), "critic": torch.optim.Adam(critic.parameters())}
for step in range(3):
    loss = critic(generator(torch.randn(8, 4))).mean()
    fabric.backward(loss)
    for optimizer in optimizers.values():
        optimizer.step()
        optimizer.zero_grad()
