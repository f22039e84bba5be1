import torch
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

model = torch.nn.Linear(4, 1)
model = fabric.setup_module(model)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)
loader = fabric.setup_dataloaders(loader)
lr = 0.1
for epoch in range(3):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)  # momentum restarts each epoch
    optimizer = fabric.setup_optimizers(optimizer)
    for x, y in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        fabric.backward(loss)
        optimizer.step()
    lr *= 0.5
