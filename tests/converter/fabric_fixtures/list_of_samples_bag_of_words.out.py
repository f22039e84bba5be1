# t2l-fixture: verify --steps 40
"""A word-embedding script in the classic tutorial shape: the training data a Python list of (context words,
target word) pairs built by hand, one sample per step, `Variable` from the old API, an unseeded model, a
running total of `loss.data`, and a vocabulary built from a set (its order depends on PYTHONHASHSEED)."""
import torch
import torch.nn as nn
from torch.autograd import Variable
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

text = "the quick brown fox jumps over the lazy dog while the small cat sleeps near the warm fire".split()
vocabulary = sorted(set(text))
index = {word: i for i, word in enumerate(vocabulary)}
pairs = []
for i in range(2, len(text) - 2):
    pairs.append(([text[i - 2], text[i - 1], text[i + 1], text[i + 2]], text[i]))


class BagOfWords(nn.Module):
    def __init__(self, vocabulary_size, dim):
        super().__init__()
        self.embed = nn.Embedding(vocabulary_size, dim)
        self.out = nn.Linear(dim, vocabulary_size)

    def forward(self, ids):
        return torch.log_softmax(self.out(self.embed(ids).sum(0, keepdim=True)), dim=-1)


model = BagOfWords(len(vocabulary), 16)
nll = nn.NLLLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
model, optimizer = fabric.setup(model, optimizer)
for epoch in range(4):
    total = 0
    for context, target in pairs:
        ids = Variable(torch.LongTensor([index[w] for w in context]))
        model.zero_grad()
        loss = nll(model(ids), Variable(torch.LongTensor([index[target]])))
        fabric.backward(loss)
        optimizer.step()
        total += loss.data
    fabric.print(epoch, float(total))
