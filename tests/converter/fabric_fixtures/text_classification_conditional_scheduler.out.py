# t2l-fixture: verify --steps 16
"""The shape of the PyTorch text-classification tutorial: EmbeddingBag with offsets from a collate function, a
progress line every few batches that resets the running accuracy, and StepLR stepped only when the validation
accuracy falls. The optimizer once moved into configure_optimizers while the scheduler built on it stayed beside
the loop (a NameError building it; and its steps would have changed a rate no optimizer used): the optimizer now
stays there and configure_optimizers returns it, so the kept, conditional step reaches it."""
import time

import torch
from torch import nn
from torch.utils.data import DataLoader
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
VOCAB, CLASSES = 50, 3
samples = [(int(torch.randint(0, CLASSES, ()).item()), torch.randint(0, VOCAB, (int(torch.randint(3, 9, ()).item()),))) for _ in range(96)]


def collate_batch(batch):
    labels = torch.tensor([label for label, _ in batch])
    texts = torch.cat([text for _, text in batch])
    offsets = torch.tensor([0] + [len(text) for _, text in batch[:-1]]).cumsum(dim=0)
    return labels, texts, offsets


class TextClassificationModel(nn.Module):
    def __init__(self, vocab_size, embed_dim, num_class):
        super().__init__()
        self.embedding = nn.EmbeddingBag(vocab_size, embed_dim, sparse=False)
        self.fc = nn.Linear(embed_dim, num_class)

    def forward(self, text, offsets):
        return self.fc(self.embedding(text, offsets))


model = TextClassificationModel(VOCAB, 16, CLASSES)


def train(dataloader):
    model.train()
    total_acc, total_count = 0, 0
    log_interval = 2
    start_time = time.time()
    for idx, (label, text, offsets) in enumerate(dataloader):
        optimizer.zero_grad()
        predicted_label = model(text, offsets)
        loss = criterion(predicted_label, label)
        fabric.backward(loss)
        fabric.clip_gradients(model, optimizer, max_norm=0.1, error_if_nonfinite=False)
        optimizer.step()
        total_acc += (predicted_label.argmax(1) == label).sum().item()
        total_count += label.size(0)
        if idx % log_interval == 0 and idx > 0:
            elapsed = time.time() - start_time
            fabric.print(f"| epoch {epoch:3d} | {idx:5d}/{len(dataloader):5d} batches | accuracy {total_acc / total_count:8.3f}")
            total_acc, total_count = 0, 0
            start_time = time.time()


def evaluate(dataloader):
    model.eval()
    total_acc, total_count = 0, 0
    with torch.no_grad():
        for idx, (label, text, offsets) in enumerate(dataloader):
            predicted_label = model(text, offsets)
            total_acc += (predicted_label.argmax(1) == label).sum().item()
            total_count += label.size(0)
    return total_acc / total_count


EPOCHS, LR, BATCH_SIZE = 4, 5, 16
criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=LR)
model, optimizer = fabric.setup(model, optimizer)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1.0, gamma=0.1)
total_accu = None
train_dataloader = DataLoader(samples[:64], batch_size=BATCH_SIZE, shuffle=True, collate_fn=collate_batch)
train_dataloader = fabric.setup_dataloaders(train_dataloader)
valid_dataloader = DataLoader(samples[64:], batch_size=BATCH_SIZE, shuffle=True, collate_fn=collate_batch)
valid_dataloader = fabric.setup_dataloaders(valid_dataloader)
for epoch in range(1, EPOCHS + 1):
    epoch_start_time = time.time()
    train(train_dataloader)
    accu_val = evaluate(valid_dataloader)
    if total_accu is not None and total_accu > accu_val:
        scheduler.step()
    else:
        total_accu = accu_val
    fabric.print(f"| end of epoch {epoch:3d} | time: {time.time() - epoch_start_time:5.2f}s | valid accuracy {accu_val:8.3f} ")
