# t2l-fixture: verify --steps 20
"""The shape of the classic BERT fine-tuning script: batches of tensors moved with a tuple comprehension, a model that
returns its loss, n_gpu mean, gradient accumulation with a global step, a linear warm-up schedule by LambdaLR."""
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, RandomSampler, TensorDataset
from tqdm import tqdm, trange
from lightning_fabric import Fabric


class TinyClassifier(nn.Module):
    def __init__(self, vocab=50, hidden=16, labels=3):
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden)
        self.drop = nn.Dropout(0.1)
        self.out = nn.Linear(hidden, labels)

    def forward(self, input_ids, attention_mask, labels=None):
        h = (self.emb(input_ids) * attention_mask.unsqueeze(-1)).sum(1) / attention_mask.sum(1, keepdim=True)
        logits = self.out(self.drop(h))
        if labels is not None:
            return nn.functional.cross_entropy(logits, labels)
        return logits


parser = argparse.ArgumentParser()
parser.add_argument("--num_train_epochs", type=int, default=2)
parser.add_argument("--gradient_accumulation_steps", type=int, default=2)
parser.add_argument("--learning_rate", type=float, default=5e-3)
parser.add_argument("--warmup_proportion", type=float, default=0.1)
parser.add_argument("--no_cuda", action="store_true")
parser.add_argument("--logging_steps", type=int, default=2)
parser.add_argument("--max_grad_norm", type=float, default=1.0)
args = parser.parse_args()

device = torch.device("cuda" if torch.cuda.is_available() and not args.no_cuda else "cpu")
fabric = Fabric(accelerator=device.type, devices=1)
fabric.launch()
n_gpu = torch.cuda.device_count()
torch.manual_seed(42)
input_ids = torch.randint(1, 50, (96, 12))
input_mask = (torch.rand(96, 12) > 0.2).long()
input_mask[:, 0] = 1
label_ids = torch.randint(0, 3, (96,))
train_data = TensorDataset(input_ids, input_mask, label_ids)
train_dataloader = DataLoader(train_data, sampler=RandomSampler(train_data), batch_size=8)
train_dataloader = fabric.setup_dataloaders(train_dataloader)
num_train_optimization_steps = len(train_dataloader) // args.gradient_accumulation_steps * args.num_train_epochs

model = TinyClassifier().to(device)
no_decay = ["bias"]
optimizer_grouped_parameters = [
    {"params": [p for n, p in model.named_parameters() if not any(nd in n for nd in no_decay)], "weight_decay": 0.01},
    {"params": [p for n, p in model.named_parameters() if any(nd in n for nd in no_decay)], "weight_decay": 0.0},
]
optimizer = torch.optim.AdamW(optimizer_grouped_parameters, lr=args.learning_rate)
model, optimizer = fabric.setup(model, optimizer)
warmup_steps = int(args.warmup_proportion * num_train_optimization_steps)


def lr_lambda(step):
    if step < warmup_steps:
        return float(step) / float(max(1, warmup_steps))
    return max(0.0, float(num_train_optimization_steps - step) / float(max(1, num_train_optimization_steps - warmup_steps)))


scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)
global_step = 0
tr_loss, logging_loss = 0.0, 0.0
model.zero_grad()
for _ in trange(int(args.num_train_epochs), desc="Epoch"):
    for step, batch in enumerate(tqdm(train_dataloader, desc="Iteration")):
        model.train()
        batch = tuple(t.to(device) for t in batch)
        input_ids, input_mask, label_ids = batch
        with fabric.no_backward_sync(model, enabled=(step + 1) % args.gradient_accumulation_steps != 0):
            loss = model(input_ids, input_mask, label_ids)
            if n_gpu > 1:
                loss = loss.mean()
            if args.gradient_accumulation_steps > 1:
                loss = loss / args.gradient_accumulation_steps
            fabric.backward(loss)
        tr_loss += loss.item()
        if (step + 1) % args.gradient_accumulation_steps == 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), args.max_grad_norm)
            optimizer.step()
            scheduler.step()
            model.zero_grad()
            global_step += 1
            if args.logging_steps > 0 and global_step % args.logging_steps == 0:
                fabric.print("logging", global_step, scheduler.get_last_lr()[0], (tr_loss - logging_loss) / args.logging_steps)
                logging_loss = tr_loss
fabric.print("global_step", global_step, "average loss", tr_loss / global_step)
fabric.print(model.out.weight.sum().item())
