# t2l-fixture: verify --steps 48
"""A character model trained by optimizer steps, lucidrains' shape: batches drawn with `next()` from a generator
that cycles a DataLoader, gradients accumulated over an inner `for _ in range(ACCUMULATE)`, the loss printed and
the gradients clipped after it, a validation batch every few steps and a sample every few more, in eval mode; the
next step's `model.train()` first. The inner loop becomes the batch loop, the window's end an `if` (T2L174)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

STEPS = 12
ACCUMULATE = 4
VALIDATE_EVERY = 5
SAMPLE_EVERY = 8
SEQ = 16


def cycle(loader):
    while True:
        yield from loader


class Windows(Dataset):
    """Random windows of a byte sequence: SEQ inputs and the SEQ next bytes."""

    def __init__(self, data):
        self.data = data

    def __len__(self):
        return len(self.data) // SEQ

    def __getitem__(self, index):
        start = torch.randint(0, len(self.data) - SEQ - 1, (1,)).item()
        return self.data[start : start + SEQ + 1]


class CharModel(nn.Module):
    def __init__(self, vocab=64, dim=24):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.rnn = nn.GRU(dim, dim, batch_first=True)
        self.drop = nn.Dropout(0.1)
        self.head = nn.Linear(dim, vocab)

    def forward(self, seq):
        hidden, _ = self.rnn(self.embed(seq[:, :-1]))  # (B, SEQ, dim)
        logits = self.head(self.drop(hidden))  # (B, SEQ, vocab)
        return F.cross_entropy(logits.transpose(1, 2), seq[:, 1:])

    @torch.no_grad()
    def sample(self, prime, length):
        seq = prime
        for _ in range(length):
            hidden, _ = self.rnn(self.embed(seq))
            probs = F.softmax(self.head(hidden[:, -1]), dim=-1)
            seq = torch.cat([seq, torch.multinomial(probs, 1)], dim=1)
        return seq


torch.manual_seed(0)
text = torch.randint(0, 64, (3000,))
train_data, val_data = text[:2600], text[2600:]
train_batches = cycle(DataLoader(Windows(train_data), batch_size=4, shuffle=True))
val_batches = cycle(DataLoader(Windows(val_data), batch_size=4))

model = CharModel()
optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
model, optimizer = fabric.setup(model, optimizer)
model.mark_forward_method("sample")

for step in range(STEPS):
    model.train()
    for _ in range(ACCUMULATE):
        loss = model(next(train_batches))
        fabric.backward(loss / ACCUMULATE)
    fabric.print(f"step {step}: training loss {loss.item():.4f}")
    fabric.clip_gradients(model, optimizer, max_norm=0.5, error_if_nonfinite=False)
    optimizer.step()
    optimizer.zero_grad()

    if step % VALIDATE_EVERY == 0:
        model.eval()
        with torch.no_grad():
            val_loss = model(next(val_batches))
        fabric.print(f"step {step}: validation loss {val_loss.item():.4f}")

    if step % SAMPLE_EVERY == 0:
        model.eval()
        prime = val_data[:8].unsqueeze(0)
        fabric.print(model.sample(prime, 12).tolist())
