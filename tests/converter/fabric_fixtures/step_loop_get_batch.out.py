# t2l-fixture: verify --steps 30
"""A character-model script in the nanoGPT spirit: `for it in range(max_iters)`, a random `get_batch()` per step, dropout, a print every eval_interval steps."""
import torch
import torch.nn.functional as F
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(1337)
data = torch.randint(0, 16, (400,))
block_size, batch_size, max_iters, eval_interval = 8, 4, 30, 10


def get_batch():
    ix = torch.randint(len(data) - block_size - 1, (batch_size,))
    x = torch.stack([data[i:i + block_size] for i in ix])
    y = torch.stack([data[i + 1:i + block_size + 1] for i in ix])
    return x, y


class Bigram(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.table = torch.nn.Embedding(16, 16)
        self.drop = torch.nn.Dropout(0.1)

    def forward(self, idx, targets):
        logits = self.drop(self.table(idx))
        return F.cross_entropy(logits.view(-1, 16), targets.view(-1))


model = Bigram()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
model, optimizer = fabric.setup(model, optimizer)
for it in range(max_iters):
    xb, yb = fabric.to_device(get_batch())
    loss = model(xb, yb)
    optimizer.zero_grad(set_to_none=True)
    fabric.backward(loss)
    optimizer.step()
    if it % eval_interval == 0:
        fabric.print(f"step {it}: loss {loss.item():.4f}")
