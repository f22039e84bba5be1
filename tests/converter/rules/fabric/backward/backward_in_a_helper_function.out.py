"""The loop lives in train(); main() chooses the device: the Fabric object is made in main() and declared global."""
import torch
from lightning_fabric import Fabric


def train(model, optimizer, steps):
    for step in range(steps):
        loss = model(torch.randn(8, 4)).pow(2).mean()
        optimizer.zero_grad()
        fabric.backward(loss, retain_graph=False)
        optimizer.step()


def main():
    global fabric
    device = torch.device("cpu")
    fabric = Fabric(accelerator=device.type, devices=1)
    fabric.launch()
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    model, optimizer = fabric.setup(model, optimizer)
    train(model, optimizer, 3)


if __name__ == "__main__":
    main()
