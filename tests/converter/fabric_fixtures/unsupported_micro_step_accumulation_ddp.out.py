# t2l-fixture: unchanged
"""GPT training in nanoGPT's later shape: micro-steps accumulate inside each iteration and the optimizer steps
after them, with DDP written by hand. Declined with that reason (not "parameters updated by hand"), DDP named."""
import os

import torch
from lightning_fabric import Fabric

ddp = int(os.environ.get("RANK", -1)) != -1
fabric = Fabric(accelerator="cpu", strategy="ddp" if ddp else "auto", devices=int(os.environ["LOCAL_WORLD_SIZE"]) if ddp else 1, num_nodes=int(os.environ["WORLD_SIZE"]) // int(os.environ["LOCAL_WORLD_SIZE"]) if ddp else 1)
fabric.launch()
data = torch.randint(0, 16, (400,))
model = torch.nn.Sequential(torch.nn.Embedding(16, 8), torch.nn.Linear(8, 16))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
model, optimizer = fabric.setup(model, optimizer)
gradient_accumulation_steps = 4


def get_batch():
    ix = torch.randint(len(data) - 9, (4,))
    return torch.stack([data[i:i + 8] for i in ix]), torch.stack([data[i + 1:i + 9] for i in ix])


for iter_num in range(10):
    for micro_step in range(gradient_accumulation_steps):
        X, Y = fabric.to_device(get_batch())
        logits = model(X)
        loss = torch.nn.functional.cross_entropy(logits.view(-1, 16), Y.view(-1))
        loss = loss / gradient_accumulation_steps
        fabric.backward(loss)
    fabric.clip_gradients(model, optimizer, max_norm=1.0, error_if_nonfinite=False)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
