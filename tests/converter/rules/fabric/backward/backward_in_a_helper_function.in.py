"""The loop lives in train(); main() chooses the device: the Fabric object is made in main() and declared global."""
import torch


def train(model, optimizer, steps):
    for step in range(steps):
        loss = model(torch.randn(8, 4)).pow(2).mean()
        optimizer.zero_grad()
        loss.backward(retain_graph=False)
        optimizer.step()


def main():
    device = torch.device("cpu")
    model = torch.nn.Linear(4, 1).to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    train(model, optimizer, 3)


if __name__ == "__main__":
    main()
