# t2l-fixture: verify --steps 12
"""A main() that builds the data, the model and the optimizer, then trains for a number of steps (no epoch loop),
batches from a get_batch() helper; an evaluation and a checkpoint after the loop."""
import argparse

import torch
import torch.nn as nn
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


def get_batch(data, targets, batch_size, generator):
    index = torch.randint(0, len(data), (batch_size,), generator=generator)
    return data[index], targets[index]


@torch.no_grad()
def evaluate(model, data, targets):
    model.eval()
    loss = nn.functional.cross_entropy(model(data), targets).item()
    model.train()
    return loss


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--save", default="")
    args = parser.parse_args()
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(1)
    data, targets = torch.randn(100, 10), torch.randint(0, 3, (100,))
    model = nn.Sequential(nn.Linear(10, 32), nn.GELU(), nn.Linear(32, 3))
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    model, optimizer = fabric.setup(model, optimizer)
    for step in range(args.steps):
        x, y = fabric.to_device(get_batch(data, targets, args.batch_size, generator))
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad(set_to_none=True)
        fabric.backward(loss)
        optimizer.step()
    fabric.print(f"after {args.steps} steps: loss {evaluate(model, data, targets):.4f}")
    if args.save:
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, args.save)


if __name__ == "__main__":
    main()
