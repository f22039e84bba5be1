# t2l-fixture: verify --steps 16
"""Two counters Lightning's step count cannot stand for: an iteration number from 1 (`1 / it` weights the loss,
as in older Robbins-Monro style decays), and a count of hard batches, incremented only when the loss is high and
read by the next batches' loss. Both were self.global_step: a ZeroDivisionError after a clean exit, and a
different loss from the batch after the first one that is not hard (the seventh here)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


def main():
    torch.manual_seed(0)
    loader = DataLoader(TensorDataset(torch.randn(64, 5), torch.randn(64, 1)), batch_size=8, shuffle=True)
    loader = fabric.setup_dataloaders(loader)
    model = nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 1))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    model, optimizer = fabric.setup(model, optimizer)
    it = 1
    hard = 0
    for epoch in range(2):
        for x, y in loader:
            decay = 1.0 / it ** 0.5
            loss = decay * (1 + 0.5 * hard) * nn.functional.mse_loss(model(x), y)
            optimizer.zero_grad()
            fabric.backward(loss)
            optimizer.step()
            it += 1
            if loss.item() > 1.0:
                hard += 1
    fabric.print(f"iterations {it - 1}, hard batches {hard}")


if __name__ == "__main__":
    main()
