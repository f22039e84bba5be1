# t2l-fixture: verify --steps 12
"""Each batch back-propagated in micro-batches (a slice of it at a time, the loss scaled by the slice's share) to
bound the memory one forward pass takes, then one clipped optimizer step and a warm-up scheduler stepped per batch."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
vocab, seq_len = 40, 12
tokens = torch.randint(0, vocab, (384, seq_len))
labels = (tokens[:, :3].sum(1) % 3).long()
train_loader = DataLoader(TensorDataset(tokens, labels), batch_size=32, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)


class TextClassifier(nn.Module):
    def __init__(self, vocab_size, dim=24, classes=3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, dim)
        self.encoder = nn.GRU(dim, dim, batch_first=True)
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(dim, classes)

    def forward(self, ids):
        _, hidden = self.encoder(self.embedding(ids))  # hidden: (1, batch, dim)
        return self.head(self.dropout(hidden[-1]))


model = TextClassifier(vocab)
optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
model, optimizer = fabric.setup(model, optimizer)
warmup = 10
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: min(1.0, (step + 1) / warmup))
criterion = nn.CrossEntropyLoss()
micro_batch_size = 8

for epoch in range(2):
    model.train()
    for step, (input_ids, targets) in enumerate(train_loader):
        optimizer.zero_grad()
        batch_loss = 0.0
        for start in range(0, input_ids.size(0), micro_batch_size):
            ids = input_ids[start : start + micro_batch_size]
            loss = criterion(model(ids), targets[start : start + micro_batch_size])
            loss = loss * ids.size(0) / input_ids.size(0)
            fabric.backward(loss)
            batch_loss += loss.item()
        fabric.clip_gradients(model, optimizer, max_norm=1.0, error_if_nonfinite=False)
        optimizer.step()
        scheduler.step()
        if step % 4 == 0:
            fabric.print(f"epoch {epoch} step {step} loss {batch_loss:.5f} lr {scheduler.get_last_lr()[0]:.6f}")
