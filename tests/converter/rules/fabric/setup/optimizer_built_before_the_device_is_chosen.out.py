import torch
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=4)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
fabric = Fabric(accelerator=device.type, devices=1)
fabric.launch()
model, optimizer = fabric.setup(model, optimizer)
loader = fabric.setup_dataloaders(loader)
model.to(device)
for x, y in loader:
    loss = torch.nn.functional.mse_loss(model(x), y)
    optimizer.zero_grad()
    fabric.backward(loss)
    optimizer.step()
