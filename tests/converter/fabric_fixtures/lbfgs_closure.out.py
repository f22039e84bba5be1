# t2l-fixture: verify --steps 5
"""An LBFGS closure: the optimizer calls the closure itself; Lightning passes its own closure to the same step."""
import torch
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

x, y = torch.randn(16, 3), torch.randn(16, 1)
model = torch.nn.Linear(3, 1)
optimizer = torch.optim.LBFGS(model.parameters(), lr=0.5)
model, optimizer = fabric.setup(model, optimizer)
for step in range(5):
    def closure():
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        fabric.backward(loss)
        return loss
    optimizer.step(closure)
