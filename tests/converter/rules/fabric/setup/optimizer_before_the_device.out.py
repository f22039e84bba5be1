import torch
from lightning_fabric import Fabric

model = torch.nn.Linear(4, 1)
# TODO(t2l): T2L941 optimizer built before the Fabric object exists: set it up by hand with fabric.setup(model, optimizer)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)


def main():
    device = torch.device("cpu")
    fabric = Fabric(accelerator=device.type, devices=1)
    fabric.launch()
    model.to(device)
    for step in range(3):
        loss = model(torch.randn(8, 4, device=device)).pow(2).mean()
        optimizer.zero_grad()
        fabric.backward(loss)
        optimizer.step()


if __name__ == "__main__":
    main()
