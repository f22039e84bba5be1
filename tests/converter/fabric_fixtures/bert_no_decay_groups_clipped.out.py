# t2l-fixture: verify --steps 40
"""BERT fine-tuning's optimizer groups: parameters whose names contain "bias" or "LayerNorm.weight" get no weight
decay (`no_decay` list and comprehensions over named_parameters), a linear warmup-decay LambdaLR built from the
total step count, clipping, and the average training loss printed each epoch. The optimizer holds the parameters
in its groups' order, which Lightning's gradient_clip_val would clip in: another order of the norms summed, other
bits once the clip acts; configure_gradient_clipping keeps the script's call."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(12)


class TinyEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embeddings = nn.Embedding(40, 16)
        self.LayerNorm = nn.LayerNorm(16)
        self.classifier = nn.Linear(16, 2)

    def forward(self, ids):
        return self.classifier(self.LayerNorm(self.embeddings(ids).mean(1)))


ids = torch.randint(0, 40, (160, 8))
labels = (ids[:, 0] < 20).long()
train_dataloader = DataLoader(TensorDataset(ids, labels), batch_size=16, shuffle=True)
train_dataloader = fabric.setup_dataloaders(train_dataloader)
model = TinyEncoder()
no_decay = ["bias", "LayerNorm.weight"]
optimizer_grouped_parameters = [
    {"params": [p for n, p in model.named_parameters() if not any(nd in n for nd in no_decay)], "weight_decay": 0.01},
    {"params": [p for n, p in model.named_parameters() if any(nd in n for nd in no_decay)], "weight_decay": 0.0},
]
optimizer = torch.optim.AdamW(optimizer_grouped_parameters, lr=5e-3, eps=1e-8)
model, optimizer = fabric.setup(model, optimizer)
epochs = 3
total_steps = len(train_dataloader) * epochs
warmup = 4


def lr_lambda(current_step):
    if current_step < warmup:
        return float(current_step) / float(max(1, warmup))
    return max(0.0, float(total_steps - current_step) / float(max(1, total_steps - warmup)))


scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)
for epoch_i in range(epochs):
    total_train_loss = 0
    model.train()
    for step, batch in enumerate(train_dataloader):
        b_input_ids, b_labels = batch
        model.zero_grad()
        logits = model(b_input_ids)
        loss = nn.functional.cross_entropy(logits, b_labels)
        total_train_loss += loss.item()
        fabric.backward(loss)
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
    avg_train_loss = total_train_loss / len(train_dataloader)
    fabric.print("  Average training loss: {0:.2f}".format(avg_train_loss))
