# t2l-fixture: verify --steps 25
"""makemore's shape: a character model trained by a `while True` loop counted by hand, batches drawn by
`get_batch("train")`, a warmup learning rate set every step, and after the optimizer step, every eval_interval
steps, `estimate_loss()` (eval mode, no grad, batches of both splits) printed: it must see the updated weights."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(1337)
text = "the quick brown fox jumps over the lazy dog " * 20
chars = sorted(set(text))
stoi = {ch: i for i, ch in enumerate(chars)}
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
n = int(0.9 * len(data))
train_data, val_data = data[:n], data[n:]
vocab_size, block_size, batch_size = len(chars), 8, 4
max_iters, eval_interval, eval_iters, learning_rate, warmup_iters = 24, 6, 2, 1e-2, 4


def get_batch(split):
    source = train_data if split == "train" else val_data
    ix = torch.randint(len(source) - block_size, (batch_size,))
    x = torch.stack([source[i:i + block_size] for i in ix])
    y = torch.stack([source[i + 1:i + block_size + 1] for i in ix])
    return x, y


def get_lr(it):
    if it < warmup_iters:
        return learning_rate * (it + 1) / warmup_iters
    return learning_rate * 0.5 * (1.0 + math.cos(math.pi * it / max_iters))


class CharModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, 16)
        self.drop = nn.Dropout(0.2)
        self.head = nn.Linear(16, vocab_size)

    def forward(self, idx, targets):
        logits = self.head(self.drop(self.embedding(idx)))  # (B, T, vocab_size)
        return F.cross_entropy(logits.view(-1, vocab_size), targets.view(-1))


@torch.no_grad()
def estimate_loss():
    out = {}
    model.eval()
    for split in ["train", "val"]:
        losses = torch.zeros(eval_iters)
        for k in range(eval_iters):
            X, Y = fabric.to_device(get_batch(split))
            losses[k] = model(X, Y).item()
        out[split] = losses.mean()
    model.train()
    return out


model = CharModel()
optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate)
model, optimizer = fabric.setup(model, optimizer)
iter_num = 0
while True:
    lr = get_lr(iter_num)
    for param_group in optimizer.param_groups:
        param_group["lr"] = lr
    xb, yb = fabric.to_device(get_batch("train"))
    loss = model(xb, yb)
    optimizer.zero_grad(set_to_none=True)
    fabric.backward(loss)
    optimizer.step()
    if iter_num % eval_interval == 0:
        losses = estimate_loss()
        fabric.print(f"step {iter_num}: train loss {losses['train']:.6f}, val loss {losses['val']:.6f}")
    iter_num += 1
    if iter_num > max_iters:
        break
