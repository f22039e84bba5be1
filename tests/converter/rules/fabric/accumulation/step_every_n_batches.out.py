import torch
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=4)
loader = fabric.setup_dataloaders(loader)
accumulation_steps = 4
for i, (x, y) in enumerate(loader):
    with fabric.no_backward_sync(model, enabled=not ((i + 1) % accumulation_steps == 0 or i + 1 == len(loader))):
        prediction = model(x)
        loss = torch.nn.functional.mse_loss(prediction, y) / accumulation_steps
        fabric.backward(loss)
    if (i + 1) % accumulation_steps == 0 or i + 1 == len(loader):
        optimizer.step()
        optimizer.zero_grad()
