# t2l-fixture: verify --steps 10 -- --epochs 2
"""The word-language-model shape: hidden state carried across batches, ReduceLROnPlateau on the validation loss,
the training in a `try` that Ctrl+C ends early, the model evaluated after it."""
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=4)
parser.add_argument("--bptt", type=int, default=5)
args = parser.parse_args()
torch.manual_seed(1111)


class RNNModel(nn.Module):
    def __init__(self, ntoken=30, nhid=12):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, nhid)
        self.rnn = nn.LSTM(nhid, nhid, batch_first=True)
        self.decoder = nn.Linear(nhid, ntoken)
        self.nhid = nhid

    def forward(self, x, hidden):
        output, hidden = self.rnn(self.encoder(x), hidden)
        return self.decoder(output), hidden

    def init_hidden(self, bsz):
        return (torch.zeros(1, bsz, self.nhid), torch.zeros(1, bsz, self.nhid))


def repackage_hidden(h):
    return tuple(v.detach() for v in h)


train_data = DataLoader(TensorDataset(torch.randint(0, 30, (40, args.bptt)), torch.randint(0, 30, (40, args.bptt))), batch_size=4)
train_data = fabric.setup_dataloaders(train_data)
val_data = DataLoader(TensorDataset(torch.randint(0, 30, (16, args.bptt)), torch.randint(0, 30, (16, args.bptt))), batch_size=4)
val_data = fabric.setup_dataloaders(val_data)
model = RNNModel()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=5.0)
model, optimizer = fabric.setup(model, optimizer)
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.25, patience=0)


def evaluate(loader):
    model.eval()
    total_loss = 0.0
    with torch.no_grad():
        for data, targets in loader:
            output, _ = model(data, model.init_hidden(data.size(0)))
            total_loss += criterion(output.view(-1, 30), targets.view(-1)).item()
    return total_loss / len(loader)


def train():
    model.train()
    hidden = model.init_hidden(4)
    for batch, (data, targets) in enumerate(train_data):
        hidden = repackage_hidden(hidden)
        model.zero_grad()
        output, hidden = model(data, hidden)
        loss = criterion(output.view(-1, 30), targets.view(-1))
        fabric.backward(loss)
        fabric.clip_gradients(model, optimizer, max_norm=0.25, error_if_nonfinite=False)
        optimizer.step()


# At any point you can hit Ctrl + C to break out of training early (Lightning exits instead: T2L929).
try:
    for epoch in range(1, args.epochs + 1):
        train()
        val_loss = evaluate(val_data)
        fabric.print(f"| end of epoch {epoch} | valid loss {val_loss:5.2f}")
        scheduler.step(val_loss)
except KeyboardInterrupt:
    fabric.print("-" * 89)
    fabric.print("Exiting from training early")
fabric.print(f"| end of training | valid loss {evaluate(val_data):5.2f}")
