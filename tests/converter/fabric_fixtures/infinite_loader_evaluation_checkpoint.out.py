# t2l-fixture: verify --steps 24 -- --max-steps 24 --work-dir out
"""makemore's loop shape: `while True` over an infinite loader (next() with a StopIteration reset), clipping, a step
counter and a break at max_steps; after the step, every 10 steps, an evaluation logged to TensorBoard that saves the
best weights: it runs in on_train_batch_end (after Lightning's step), the best loss kept as module state."""
import argparse
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.tensorboard import SummaryWriter
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

parser = argparse.ArgumentParser()
parser.add_argument("--max-steps", type=int, default=30)
parser.add_argument("--work-dir", default="out")
args = parser.parse_args()

torch.manual_seed(3)
os.makedirs(args.work_dir, exist_ok=True)
writer = SummaryWriter(log_dir=args.work_dir)
train_set = TensorDataset(torch.randn(40, 6), torch.randint(0, 3, (40,)))
test_set = TensorDataset(torch.randn(16, 6), torch.randint(0, 3, (16,)))


@torch.inference_mode()
def evaluate(model, dataset, max_batches=2):
    model.eval()
    losses = []
    for i, (x, y) in enumerate(DataLoader(dataset, batch_size=8)):
        losses.append(nn.functional.cross_entropy(model(x), y).item())
        if i + 1 >= max_batches:
            break
    model.train()
    return sum(losses) / len(losses)


model = nn.Sequential(nn.Linear(6, 16), nn.Dropout(0.1), nn.ReLU(), nn.Linear(16, 3))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
model, optimizer = fabric.setup(model, optimizer)
train_loader = DataLoader(train_set, batch_size=8, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
data_iter = iter(train_loader)
best_loss = None
step = 0
while True:
    try:
        batch = next(data_iter)
    except StopIteration:
        data_iter = iter(train_loader)
        batch = next(data_iter)
    X, Y = batch
    loss = nn.functional.cross_entropy(model(X), Y)
    model.zero_grad(set_to_none=True)
    fabric.backward(loss)
    fabric.clip_gradients(model, optimizer, max_norm=1.0, error_if_nonfinite=False)
    optimizer.step()
    if step % 10 == 0:
        fabric.print(f"step {step} | loss {loss.item():.4f}")
    if step > 0 and step % 10 == 0:
        test_loss = evaluate(model, test_set)
        writer.add_scalar("Loss/test", test_loss, step)
        fabric.print(f"step {step} test loss: {test_loss}")
        if best_loss is None or test_loss < best_loss:
            torch.save(model.state_dict(), os.path.join(args.work_dir, "model.pt"))
            best_loss = test_loss
    step += 1
    if step >= args.max_steps:
        break
