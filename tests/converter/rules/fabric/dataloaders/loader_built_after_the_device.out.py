import torch
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric


def main():
    device = torch.device("cpu")
    fabric = Fabric(accelerator=device.type, devices=1)
    fabric.launch()
    data = TensorDataset(torch.randn(32, 4), torch.randn(32, 1))
    loader = DataLoader(data, batch_size=8, shuffle=True)
    loader = fabric.setup_dataloaders(loader)
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    model, optimizer = fabric.setup(model, optimizer)
    for x, y in loader:
        loss = torch.nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        fabric.backward(loss)
        optimizer.step()


main()
