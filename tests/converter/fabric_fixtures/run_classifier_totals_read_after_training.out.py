# t2l-fixture: verify --steps 30
"""The old BERT run_classifier shape: `for _ in trange(int(args.num_train_epochs), desc="Epoch")`, batches as tuples
moved with `tuple(t.to(device) for t in batch)`, `tr_loss`, `nb_tr_examples`, `nb_tr_steps`, `global_step` counted
beside the step under `(step + 1) % gradient_accumulation_steps == 0`, the loss divided by the accumulation steps;
the last epoch's `tr_loss / nb_tr_steps` printed after training (state the hooks keep, read from the module)."""
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, RandomSampler, TensorDataset
from tqdm import tqdm, trange
from lightning_fabric import Fabric

parser = argparse.ArgumentParser()
parser.add_argument("--num_train_epochs", type=float, default=2.0)
parser.add_argument("--gradient_accumulation_steps", type=int, default=2)
parser.add_argument("--learning_rate", type=float, default=5e-3)
args = parser.parse_args()
device = torch.device("cpu")
fabric = Fabric(accelerator=device.type, devices=1)
fabric.launch()
torch.manual_seed(11)
input_ids = torch.randint(0, 30, (192, 10))
label_ids = (input_ids[:, 0] % 2).long()
train_data = TensorDataset(input_ids, label_ids)
train_dataloader = DataLoader(train_data, sampler=RandomSampler(train_data), batch_size=16)
train_dataloader = fabric.setup_dataloaders(train_dataloader)


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.EmbeddingBag(30, 16)
        self.out = nn.Linear(16, 2)

    def forward(self, ids, labels=None):
        logits = self.out(self.emb(ids))
        if labels is not None:
            return nn.functional.cross_entropy(logits, labels)
        return logits


model = Classifier()
optimizer = torch.optim.Adam(model.parameters(), lr=args.learning_rate)
model, optimizer = fabric.setup(model, optimizer)
global_step = 0
model.train()
for _ in trange(int(args.num_train_epochs), desc="Epoch"):
    tr_loss = 0
    nb_tr_examples, nb_tr_steps = 0, 0
    for step, batch in enumerate(tqdm(train_dataloader, desc="Iteration")):
        batch = tuple(t.to(device) for t in batch)
        ids, labels = batch
        with fabric.no_backward_sync(model, enabled=(step + 1) % args.gradient_accumulation_steps != 0):
            loss = model(ids, labels)
            if args.gradient_accumulation_steps > 1:
                loss = loss / args.gradient_accumulation_steps
            fabric.backward(loss)
        tr_loss += loss.item()
        nb_tr_examples += ids.size(0)
        nb_tr_steps += 1
        if (step + 1) % args.gradient_accumulation_steps == 0:
            optimizer.step()
            optimizer.zero_grad()
            global_step += 1
fabric.print("global_step", global_step, "loss", tr_loss / nb_tr_steps)
