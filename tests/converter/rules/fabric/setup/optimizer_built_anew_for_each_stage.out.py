import torch
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
model = fabric.setup_module(model)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)
loader = fabric.setup_dataloaders(loader)
for stage, lr in enumerate([1e-2, 1e-3]):  # a second stage at a lower rate, its Adam moments from zero
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    optimizer = fabric.setup_optimizers(optimizer)
    for epoch in range(2):
        for x, y in loader:
            optimizer.zero_grad()
            loss = torch.nn.functional.mse_loss(model(x), y)
            fabric.backward(loss)
            optimizer.step()
