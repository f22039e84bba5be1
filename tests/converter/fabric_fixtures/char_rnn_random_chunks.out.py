# t2l-fixture: verify --steps 12
"""Character-level generation in the classic char-rnn tutorial shape: a step function fed a random chunk by
`train(*random_training_set())` once per iteration of a range loop, Python's `random` drawing the chunks (and
importing Lightning draws from it too: --verify imports it before seeding both sides), a GRU unrolled by hand."""
import random
import string

import torch
import torch.nn as nn
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

all_characters = string.printable
n_characters = len(all_characters)
text = "the quick brown fox jumps over the lazy dog. " * 40
chunk_len = 20
n_epochs = 30


class RNN(nn.Module):
    def __init__(self, input_size, hidden_size, output_size):
        super().__init__()
        self.hidden_size = hidden_size
        self.encoder = nn.Embedding(input_size, hidden_size)
        self.gru = nn.GRU(hidden_size, hidden_size)
        self.decoder = nn.Linear(hidden_size, output_size)

    def forward(self, inp, hidden):
        out = self.encoder(inp.view(1, -1))
        out, hidden = self.gru(out.view(1, 1, -1), hidden)
        return self.decoder(out.view(1, -1)), hidden

    def init_hidden(self):
        return torch.zeros(1, 1, self.hidden_size)


def char_tensor(s):
    return torch.tensor([all_characters.index(c) for c in s], dtype=torch.long)


def random_training_set():
    start = random.randint(0, len(text) - chunk_len - 1)
    chunk = text[start:start + chunk_len + 1]
    return char_tensor(chunk[:-1]), char_tensor(chunk[1:])


decoder = RNN(n_characters, 32, n_characters)
decoder_optimizer = torch.optim.Adam(decoder.parameters(), lr=0.005)
decoder, decoder_optimizer = fabric.setup(decoder, decoder_optimizer)
criterion = nn.CrossEntropyLoss()


def train(inp, target):
    hidden = decoder.init_hidden()
    decoder.zero_grad()
    loss = 0
    for c in range(chunk_len):
        output, hidden = decoder(inp[c], hidden)
        loss += criterion(output, target[c].unsqueeze(0))
    fabric.backward(loss)
    decoder_optimizer.step()
    return loss.item() / chunk_len


loss_avg = 0
for epoch in range(1, n_epochs + 1):
    loss = train(*random_training_set())
    loss_avg += loss
    if epoch % 10 == 0:
        fabric.print(f"epoch {epoch} loss {loss:.4f}")
