# t2l-fixture: verify --steps 30
"""A character-level LSTM (dropout between layers) trained on a tiny text; after each epoch an evaluate() function
computes the validation loss in eval mode, then a sample is generated with torch.multinomial."""
import torch
import torch.nn as nn
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(9)
text = "hello world, hello lightning. " * 8
chars = sorted(set(text))
idx = {c: i for i, c in enumerate(chars)}
data = torch.tensor([idx[c] for c in text])
split = int(0.8 * len(data))
train_data, val_data = data[:split], data[split:]
seq_len, batch_size = 12, 4


class CharRNN(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.emb = nn.Embedding(vocab, 16)
        self.lstm = nn.LSTM(16, 32, num_layers=2, dropout=0.2, batch_first=True)
        self.out = nn.Linear(32, vocab)

    def forward(self, x, h=None):
        y, h = self.lstm(self.emb(x), h)
        return self.out(y), h


def batches(source):
    for i in range(0, len(source) - seq_len - 1, seq_len * batch_size):
        xs, ys = [], []
        for b in range(batch_size):
            start = i + b * seq_len
            if start + seq_len + 1 > len(source):
                break
            xs.append(source[start:start + seq_len])
            ys.append(source[start + 1:start + seq_len + 1])
        if xs:
            yield torch.stack(xs), torch.stack(ys)


model = CharRNN(len(chars))
optimizer = torch.optim.Adam(model.parameters(), lr=5e-3)
model, optimizer = fabric.setup(model, optimizer)
criterion = nn.CrossEntropyLoss()


def evaluate():
    model.eval()
    total, n = 0.0, 0
    with torch.no_grad():
        for x, y in batches(val_data):
            logits, _ = model(x)
            total += criterion(logits.reshape(-1, len(chars)), y.reshape(-1)).item()
            n += 1
    return total / max(n, 1)


def sample(length=20):
    x = torch.tensor([[idx["h"]]])
    h, out = None, "h"
    with torch.no_grad():
        for _ in range(length):
            logits, h = model(x, h)
            nxt = torch.multinomial(logits[0, -1].softmax(-1), 1).item()
            out += chars[nxt]
            x = torch.tensor([[nxt]])
    return out


for epoch in range(3):
    model.train()
    for x, y in batches(train_data):
        logits, _ = model(x)
        loss = criterion(logits.reshape(-1, len(chars)), y.reshape(-1))
        optimizer.zero_grad()
        fabric.backward(loss)
        optimizer.step()
    val = evaluate()
    fabric.print(f"epoch {epoch} val {val:.4f} sample {sample()!r}")
