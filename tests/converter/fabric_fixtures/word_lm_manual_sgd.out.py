# t2l-fixture: verify --steps 120
"""A word-level language model in the classic shape: batches cut from one long tensor by a range step loop,
hidden state carried (and detached) across batches, clipping, and SGD written by hand (`p.data.add_(p.grad,
alpha=-lr)`) with the learning rate divided by 4 when validation gets worse: T2L131 turns it into torch.optim.SGD
and keeps the annealing in its param_groups (epoch 2 gets worse here, so epoch 3 runs at the new rate)."""
import math

import torch
import torch.nn as nn
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
vocab, bptt, batch_size, clip = 50, 8, 4, 0.25
corpus = torch.randint(0, vocab, (2000,))


def batchify(data, bsz):
    nbatch = data.size(0) // bsz
    return data[: nbatch * bsz].view(bsz, -1).t().contiguous()


train_data = batchify(corpus[:1600], batch_size)
val_data = batchify(corpus[1600:], batch_size)


class RNNModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Embedding(vocab, 32)
        self.rnn = nn.LSTM(32, 32)
        self.decoder = nn.Linear(32, vocab)

    def forward(self, x, hidden):
        output, hidden = self.rnn(self.encoder(x), hidden)
        return self.decoder(output).view(-1, vocab), hidden

    def init_hidden(self, bsz):
        return (torch.zeros(1, bsz, 32), torch.zeros(1, bsz, 32))


def repackage_hidden(h):
    if isinstance(h, torch.Tensor):
        return h.detach()
    return tuple(repackage_hidden(v) for v in h)


def get_batch(source, i):
    seq_len = min(bptt, len(source) - 1 - i)
    return source[i : i + seq_len], source[i + 1 : i + 1 + seq_len].reshape(-1)


model = RNNModel()
model = fabric.setup_module(model)
criterion = nn.NLLLoss()
lr = 20.0


def evaluate(data_source):
    model.eval()
    total_loss = 0.0
    hidden = model.init_hidden(batch_size)
    with torch.no_grad():
        for i in range(0, data_source.size(0) - 1, bptt):
            data, targets = fabric.to_device(get_batch(data_source, i))
            output, hidden = model(data, hidden)
            hidden = repackage_hidden(hidden)
            total_loss += len(data) * criterion(torch.log_softmax(output, -1), targets).item()
    return total_loss / (len(data_source) - 1)


def train():
    model.train()
    total_loss = 0.0
    hidden = model.init_hidden(batch_size)
    for batch, i in enumerate(range(0, train_data.size(0) - 1, bptt)):
        data, targets = fabric.to_device(get_batch(train_data, i))
        hidden = repackage_hidden(hidden)
        model.zero_grad()
        output, hidden = model(data, hidden)
        loss = criterion(torch.log_softmax(output, -1), targets)
        fabric.backward(loss)
        torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        for p in model.parameters():
            p.data.add_(p.grad, alpha=-lr)
        total_loss += loss.item()
        if batch % 20 == 0 and batch > 0:
            fabric.print(f"batch {batch} loss {total_loss / 20:.3f}")
            total_loss = 0.0


best_val_loss = None
for epoch in range(1, 4):
    train()
    val_loss = evaluate(val_data)
    fabric.print(f"epoch {epoch} val ppl {math.exp(val_loss):.2f}")
    if not best_val_loss or val_loss < best_val_loss:
        best_val_loss = val_loss
    else:
        lr /= 4.0
