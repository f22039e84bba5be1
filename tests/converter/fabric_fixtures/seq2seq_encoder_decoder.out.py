# t2l-fixture: verify --steps 12
"""The seq2seq tutorial shape: separate encoder and decoder optimizers stepped together, clipping each model."""
import torch
import torch.nn as nn
from torch import optim
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(5)
VOCAB, HIDDEN = 20, 16
pairs = TensorDataset(torch.randint(0, VOCAB, (48, 6)), torch.randint(0, VOCAB, (48, 6)))
train_dataloader = DataLoader(pairs, batch_size=8, shuffle=True)
train_dataloader = fabric.setup_dataloaders(train_dataloader)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, HIDDEN)
        self.gru = nn.GRU(HIDDEN, HIDDEN, batch_first=True)

    def forward(self, x):
        return self.gru(self.embedding(x))


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, HIDDEN)
        self.gru = nn.GRU(HIDDEN, HIDDEN, batch_first=True)
        self.out = nn.Linear(HIDDEN, VOCAB)

    def forward(self, target, hidden):
        output, _ = self.gru(self.embedding(target), hidden)
        return torch.log_softmax(self.out(output), dim=-1)


def train_epoch(dataloader, encoder, decoder, encoder_optimizer, decoder_optimizer, criterion):
    total_loss = 0
    for data in dataloader:
        input_tensor, target_tensor = data
        encoder_optimizer.zero_grad()
        decoder_optimizer.zero_grad()
        _, encoder_hidden = encoder(input_tensor)
        decoder_outputs = decoder(target_tensor, encoder_hidden)
        loss = criterion(decoder_outputs.view(-1, VOCAB), target_tensor.view(-1))
        fabric.backward(loss)
        fabric.clip_gradients(encoder, encoder_optimizer, max_norm=1.0, error_if_nonfinite=False)
        fabric.clip_gradients(decoder, decoder_optimizer, max_norm=1.0, error_if_nonfinite=False)
        encoder_optimizer.step()
        decoder_optimizer.step()
        total_loss += loss.item()
    return total_loss / len(dataloader)


def train(train_dataloader, encoder, decoder, n_epochs, learning_rate=0.001):
    encoder_optimizer = optim.Adam(encoder.parameters(), lr=learning_rate)
    encoder, encoder_optimizer = fabric.setup(encoder, encoder_optimizer)
    decoder_optimizer = optim.Adam(decoder.parameters(), lr=learning_rate)
    decoder, decoder_optimizer = fabric.setup(decoder, decoder_optimizer)
    criterion = nn.NLLLoss()
    for epoch in range(1, n_epochs + 1):
        loss = train_epoch(train_dataloader, encoder, decoder, encoder_optimizer, decoder_optimizer, criterion)
        fabric.print(f"epoch {epoch}: loss {loss:.4f}")


encoder = Encoder()
decoder = Decoder()
train(train_dataloader, encoder, decoder, 3)
