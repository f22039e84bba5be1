# t2l-fixture: verify --steps 40
"""main() defines train() inside it; train() counts steps in a nonlocal and logs every 3 steps."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


def main():
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(torch.randn(48, 4), torch.randint(0, 2, (48,))), batch_size=8, shuffle=True)
    loader = fabric.setup_dataloaders(loader)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    model, optimizer = fabric.setup(model, optimizer)
    step = 0

    def train(epoch):
        nonlocal step
        model.train()
        for x, y in loader:
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            fabric.backward(loss)
            optimizer.step()
            step += 1
            if step % 3 == 0:
                fabric.print(f"epoch {epoch} step {step} loss {loss.item():.4f}")

    for epoch in range(3):
        train(epoch)
        fabric.print(f"after epoch {epoch}: {step} steps")
    fabric.print("steps", step)


if __name__ == "__main__":
    main()
