import torch
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
fabric = Fabric(accelerator=device.type, devices=1)
fabric.launch()
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)
loader = fabric.setup_dataloaders(loader)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
for epoch in range(2):
    for i, (x, y) in enumerate(loader):
        loss = torch.nn.functional.mse_loss(model(x), y)
        noise = torch.randn(8, 1).to(device)  # not a batch: stays
        optimizer.zero_grad()
        fabric.backward(loss + 0 * noise.sum())
        optimizer.step()
