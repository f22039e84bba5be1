# t2l-fixture: verify --steps 30
"""The Hugging Face course's "full training" loop without transformers: the model, its optimizer and the loaders built
first, the device chosen after them (where the Fabric route makes the Fabric object, and sets them up right after
it), dict batches moved with a comprehension, an output object with .loss and .logits, a tqdm bar over all steps, a
linear schedule stepped each batch, and an evaluation with a metric object (add_batch / compute)."""
from types import SimpleNamespace

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from tqdm.auto import tqdm
from lightning_fabric import Fabric


class Encoded(Dataset):
    def __init__(self, n, seed):
        g = torch.Generator().manual_seed(seed)
        self.input_ids = torch.randint(0, 40, (n, 8), generator=g)
        self.labels = (self.input_ids.float().mean(1) > 19.5).long()

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return {"input_ids": self.input_ids[i], "labels": self.labels[i]}


class SequenceClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(40, 16)
        self.classifier = nn.Linear(16, 2)

    def forward(self, input_ids, labels=None):
        logits = self.classifier(self.embed(input_ids).mean(1))
        loss = nn.functional.cross_entropy(logits, labels) if labels is not None else None
        return SimpleNamespace(loss=loss, logits=logits)


class Accuracy:
    def __init__(self):
        self.correct, self.total = 0, 0

    def add_batch(self, predictions, references):
        self.correct += (predictions == references).sum().item()
        self.total += len(references)

    def compute(self):
        result = {"accuracy": self.correct / self.total}
        self.correct, self.total = 0, 0
        return result


torch.manual_seed(0)
train_dataloader = DataLoader(Encoded(80, 0), shuffle=True, batch_size=8)
eval_dataloader = DataLoader(Encoded(24, 1), batch_size=8)
model = SequenceClassifier()
optimizer = torch.optim.AdamW(model.parameters(), lr=5e-3)
num_epochs = 3
num_training_steps = num_epochs * len(train_dataloader)
lr_scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1 - step / num_training_steps)
device = torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")
fabric = Fabric(accelerator=torch.device(device).type, devices=1)
fabric.launch()
model, optimizer = fabric.setup(model, optimizer)
train_dataloader = fabric.setup_dataloaders(train_dataloader)
eval_dataloader = fabric.setup_dataloaders(eval_dataloader)
model.to(device)

progress_bar = tqdm(range(num_training_steps))
model.train()
for epoch in range(num_epochs):
    for batch in train_dataloader:
        batch = {k: v.to(device) for k, v in batch.items()}
        outputs = model(**batch)
        loss = outputs.loss
        fabric.backward(loss)
        optimizer.step()
        lr_scheduler.step()
        optimizer.zero_grad()
        progress_bar.update(1)

metric = Accuracy()
model.eval()
for batch in eval_dataloader:
    batch = {k: v.to(device) for k, v in batch.items()}
    with torch.no_grad():
        outputs = model(**batch)
    logits = outputs.logits
    predictions = torch.argmax(logits, dim=-1)
    metric.add_batch(predictions=predictions, references=batch["labels"])
fabric.print(metric.compute())
