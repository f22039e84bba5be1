# t2l-fixture: verify --steps 6 --torchrun 2
"""GPT-style training in nanoGPT's shape, DDP by hand and optional: `ddp` says whether torchrun started the script
(one process without it), the process group and the wrapper made only then, each rank seeded apart, micro-steps
that accumulate with DDP's gradient sync switched off by hand (`require_backward_grad_sync`) until the last, a batch
prefetched between the forward and the backward, gradient clipping, and a log line on the master process."""
import os

import torch
import torch.nn.functional as F
from lightning_fabric import Fabric

gradient_accumulation_steps = 4
batch_size = 6
block_size = 8
max_iters = 12
ddp = int(os.environ.get("RANK", -1)) != -1
if ddp:
    ddp_rank = int(os.environ["RANK"])
    ddp_world_size = int(os.environ["WORLD_SIZE"])
    master_process = ddp_rank == 0
    seed_offset = ddp_rank
    assert gradient_accumulation_steps % ddp_world_size == 0
    gradient_accumulation_steps //= ddp_world_size
else:
    master_process = True
    seed_offset = 0
    ddp_world_size = 1
fabric = Fabric(accelerator="cpu", strategy="ddp" if ddp else "auto", devices=int(os.environ["LOCAL_WORLD_SIZE"]) if ddp else 1, num_nodes=int(os.environ["WORLD_SIZE"]) // int(os.environ["LOCAL_WORLD_SIZE"]) if ddp else 1)
fabric.launch()
torch.manual_seed(1337 + seed_offset)

data = torch.randint(0, 32, (2000,), generator=torch.Generator().manual_seed(0))


def get_batch():
    ix = torch.randint(len(data) - block_size, (batch_size,))
    x = torch.stack([data[i : i + block_size] for i in ix])
    y = torch.stack([data[i + 1 : i + 1 + block_size] for i in ix])
    return x, y


class TinyLM(torch.nn.Module):
    def __init__(self, vocab_size=32, n_embd=16):
        super().__init__()
        self.embedding = torch.nn.Embedding(vocab_size, n_embd)
        self.mlp = torch.nn.Sequential(torch.nn.Linear(n_embd, 4 * n_embd), torch.nn.GELU(), torch.nn.Linear(4 * n_embd, n_embd))
        self.head = torch.nn.Linear(n_embd, vocab_size)

    def forward(self, idx, targets):
        x = self.embedding(idx)
        logits = self.head(x + self.mlp(x))
        return logits, F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))


model = TinyLM()
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.1)
model, optimizer = fabric.setup(model, optimizer)
raw_model = model.module if ddp else model

X, Y = fabric.to_device(get_batch())
for iter_num in range(max_iters):
    for micro_step in range(gradient_accumulation_steps):
        with fabric.no_backward_sync(model, enabled=micro_step != gradient_accumulation_steps - 1):
            logits, loss = model(X, Y)
            loss = loss / gradient_accumulation_steps
            X, Y = fabric.to_device(get_batch())
            fabric.backward(loss)
    fabric.clip_gradients(model, optimizer, max_norm=1.0, error_if_nonfinite=False)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    if iter_num % 4 == 0 and master_process:
        fabric.print(f"iter {iter_num}: loss {loss.item() * gradient_accumulation_steps:.4f}, {sum(p.numel() for p in raw_model.parameters())} parameters")
