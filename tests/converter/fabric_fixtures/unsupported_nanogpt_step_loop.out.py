# t2l-fixture: unchanged
"""nanoGPT's shape: `while True`, batches fetched by get_batch(), an iteration counter. Marked, not converted."""
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


iter_num, max_iters = 0, 20
while True:
    X, Y = fabric.to_device(get_batch())
    logits = model(X)
    loss = torch.nn.functional.cross_entropy(logits.view(-1, 16), Y.view(-1))
    optimizer.zero_grad(set_to_none=True)
    fabric.backward(loss)
    optimizer.step()
    iter_num += 1
    if iter_num > max_iters:
        break
