import torch
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

data = TensorDataset(torch.randn(64, 4), torch.randn(64, 1))


def get_data(train_ds, valid_ds, bs):
    return fabric.setup_dataloaders(DataLoader(train_ds, batch_size=bs, shuffle=True), DataLoader(valid_ds, batch_size=bs * 2))


train_dl, valid_dl = get_data(data, data, 16)
probe_dl, check_dl = DataLoader(data, batch_size=8), DataLoader(data, batch_size=32)
probe_dl, check_dl = fabric.setup_dataloaders(probe_dl, check_dl)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
for loader in (train_dl, probe_dl):
    for x, y in loader:
        loss = torch.nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        fabric.backward(loss)
        optimizer.step()
