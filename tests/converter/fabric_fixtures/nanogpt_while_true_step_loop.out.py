# t2l-fixture: verify --steps 21
"""nanoGPT's shape: `while True`, batches fetched by get_batch(), an iteration counter counted by hand and a
`break` past max_iters (21 steps: 0 to max_iters), the learning rate set by a warmup function every step."""
import math

import torch
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

data = torch.randint(0, 16, (200,))
model = torch.nn.Sequential(torch.nn.Embedding(16, 8), torch.nn.Linear(8, 16))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
model, optimizer = fabric.setup(model, optimizer)


def get_batch():
    ix = torch.randint(len(data) - 9, (4,))
    return torch.stack([data[i:i + 8] for i in ix]), torch.stack([data[i + 1:i + 9] for i in ix])


def get_lr(it):
    if it < warmup_iters:
        return learning_rate * (it + 1) / warmup_iters
    return learning_rate * 0.5 * (1.0 + math.cos(math.pi * it / max_iters))


iter_num, max_iters, warmup_iters, learning_rate = 0, 20, 5, 1e-3
while True:
    lr = get_lr(iter_num)
    for param_group in optimizer.param_groups:
        param_group["lr"] = lr
    X, Y = fabric.to_device(get_batch())
    logits = model(X)
    loss = torch.nn.functional.cross_entropy(logits.view(-1, 16), Y.view(-1))
    optimizer.zero_grad(set_to_none=True)
    fabric.backward(loss)
    optimizer.step()
    iter_num += 1
    if iter_num > max_iters:
        break
