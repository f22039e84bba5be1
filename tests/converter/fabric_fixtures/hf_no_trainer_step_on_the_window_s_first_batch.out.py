# t2l-fixture: verify --steps 30
"""The Hugging Face no_trainer shape in plain PyTorch: dict batches, the loss divided by the accumulation steps, a step
when `step % K == 0 or step == len(loader) - 1` (the first batch of each window steps: no Trainer flag says so, so
the condition stays as written under manual optimization), a counter of completed steps printed after each epoch
and a `max_train_steps` break on it (Trainer(max_steps=...))."""
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


class Pairs(Dataset):
    def __init__(self, n):
        g = torch.Generator().manual_seed(0)
        self.ids = torch.randint(0, 50, (n, 6), generator=g)
        self.labels = torch.randint(0, 2, (n,), generator=g)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.labels[i]}


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.EmbeddingBag(50, 16)
        self.out = nn.Linear(16, 2)

    def forward(self, input_ids, labels=None):
        logits = self.out(self.emb(input_ids))
        loss = nn.functional.cross_entropy(logits, labels) if labels is not None else None
        return {"loss": loss, "logits": logits}


def main():
    torch.manual_seed(5)
    gradient_accumulation_steps = 2
    num_train_epochs = 3
    train_dataloader = DataLoader(Pairs(70), batch_size=8, shuffle=True)
    train_dataloader = fabric.setup_dataloaders(train_dataloader)
    eval_dataloader = DataLoader(Pairs(24), batch_size=8)
    eval_dataloader = fabric.setup_dataloaders(eval_dataloader)
    model = Classifier()
    no_decay = ["bias"]
    optimizer_grouped_parameters = [
        {"params": [p for n, p in model.named_parameters() if not any(nd in n for nd in no_decay)], "weight_decay": 0.01},
        {"params": [p for n, p in model.named_parameters() if any(nd in n for nd in no_decay)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(optimizer_grouped_parameters, lr=5e-3)
    model, optimizer = fabric.setup(model, optimizer)
    num_update_steps_per_epoch = math.ceil(len(train_dataloader) / gradient_accumulation_steps)
    max_train_steps = num_train_epochs * num_update_steps_per_epoch - 2
    lr_scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: max(0.0, 1 - s / max_train_steps))
    completed_steps = 0
    for epoch in range(num_train_epochs):
        model.train()
        for step, batch in enumerate(train_dataloader):
            with fabric.no_backward_sync(model, enabled=not (step % gradient_accumulation_steps == 0 or step == len(train_dataloader) - 1)):
                outputs = model(**batch)
                loss = outputs["loss"]
                loss = loss / gradient_accumulation_steps
                fabric.backward(loss)
            if step % gradient_accumulation_steps == 0 or step == len(train_dataloader) - 1:
                optimizer.step()
                lr_scheduler.step()
                optimizer.zero_grad()
                completed_steps += 1
            if completed_steps >= max_train_steps:
                break
        model.eval()
        correct = 0
        for step, batch in enumerate(eval_dataloader):
            with torch.no_grad():
                outputs = model(**batch)
            predictions = outputs["logits"].argmax(dim=-1)
            correct += (predictions == batch["labels"]).sum().item()
        fabric.print(f"epoch {epoch}: accuracy {correct / len(eval_dataloader.dataset):.4f}, steps {completed_steps}")


if __name__ == "__main__":
    main()
