import torch
from torch.cuda.amp import autocast
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric


def train_one_epoch(model, loader, optimizer, device):
    model.train()
    for inputs, targets in loader:
        inputs, targets = inputs.to(device), targets.to(device)
        optimizer.zero_grad()
        with fabric.autocast():
            loss = torch.nn.functional.mse_loss(model(inputs), targets)
        fabric.backward(loss)
        optimizer.step()


def main():
    global fabric
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    fabric = Fabric(accelerator=device.type, devices=1, precision="16-mixed" if (device.type == "cuda") else "32-true")
    fabric.launch()
    loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)
    loader = fabric.setup_dataloaders(loader)
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    model, optimizer = fabric.setup(model, optimizer)
    for epoch in range(2):
        train_one_epoch(model, loader, optimizer, device=device)


if __name__ == "__main__":
    main()
