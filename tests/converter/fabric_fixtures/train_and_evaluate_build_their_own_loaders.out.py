# t2l-fixture: verify --steps 40
"""The translation tutorial's shape: train_epoch() and evaluate() each build their DataLoader from module-level data
with a padding collate_fn, and return the summed loss over len(list(loader)) (which iterates the loader once more);
the epoch loop prints both losses and the epoch's time (timeit's default_timer). A GRU tagger stands in for the
tutorial's Transformer."""
from timeit import default_timer as timer

import torch
from torch import nn
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

PAD = 0
VOCAB, TAGS, BATCH = 12, 4, 4
torch.manual_seed(0)


def sentences(count, seed):
    g = torch.Generator().manual_seed(seed)
    out = []
    for _ in range(count):
        words = torch.randint(1, VOCAB, (int(torch.randint(2, 6, (1,), generator=g)),), generator=g)
        out.append((words, words % TAGS))
    return out


train_data, val_data = sentences(20, 1), sentences(8, 2)


def pad_batch(batch):
    words = pad_sequence([w for w, _ in batch], batch_first=True, padding_value=PAD)
    tags = pad_sequence([t for _, t in batch], batch_first=True, padding_value=-100)
    return words, tags


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, 8, padding_idx=PAD)
        self.rnn = nn.GRU(8, 16, batch_first=True)
        self.drop = nn.Dropout(0.2)
        self.out = nn.Linear(16, TAGS)

    def forward(self, words):
        hidden, _ = self.rnn(self.embed(words))
        return self.out(self.drop(hidden))


tagger = Tagger()
criterion = nn.CrossEntropyLoss(ignore_index=-100)
optimizer = torch.optim.Adam(tagger.parameters(), lr=0.01)
tagger, optimizer = fabric.setup(tagger, optimizer)


def train_epoch(model, optimizer):
    model.train()
    total = 0.0
    train_loader = DataLoader(train_data, batch_size=BATCH, shuffle=True, collate_fn=pad_batch)
    train_loader = fabric.setup_dataloaders(train_loader)
    for words, tags in train_loader:
        logits = model(words)
        optimizer.zero_grad()
        loss = criterion(logits.reshape(-1, TAGS), tags.reshape(-1))
        fabric.backward(loss)
        optimizer.step()
        total += loss.item()
    return total / len(list(train_loader))


def evaluate(model):
    model.eval()
    total = 0.0
    val_loader = DataLoader(val_data, batch_size=BATCH, collate_fn=pad_batch)
    val_loader = fabric.setup_dataloaders(val_loader)
    with torch.no_grad():
        for words, tags in val_loader:
            total += criterion(model(words).reshape(-1, TAGS), tags.reshape(-1)).item()
    return total / len(list(val_loader))


for epoch in range(1, 4):
    started = timer()
    train_loss = train_epoch(tagger, optimizer)
    finished = timer()
    val_loss = evaluate(tagger)
    fabric.print(f"Epoch: {epoch}, Train loss: {train_loss:.4f}, Val loss: {val_loss:.4f}, Epoch time = {finished - started:.3f}s")
