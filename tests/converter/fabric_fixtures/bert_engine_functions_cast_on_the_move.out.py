# t2l-fixture: verify --steps 30
"""The engine.py shape of BERT fine-tuning tutorials: train_fn / eval_fn over dict batches with tqdm(enumerate(...),
total=...), each tensor cast as it is moved (`.to(device, dtype=torch.float)`: the cast stays when the move goes; the
labels are integers and BCEWithLogitsLoss needs floats), a warmup schedule stepped each batch, eval_fn returning the
outputs and targets as lists (kept, not logged: self.log takes numbers), numpy accuracy, the best model saved."""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm
from lightning_fabric import Fabric


class ReviewDataset(Dataset):
    def __init__(self, n, seed):
        g = torch.Generator().manual_seed(seed)
        self.ids = torch.randint(1, 100, (n, 12), generator=g)
        self.mask = torch.ones(n, 12, dtype=torch.long)
        self.targets = (self.ids[:, 0] > 50).long()

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, item):
        return {"ids": self.ids[item], "mask": self.mask[item], "targets": self.targets[item]}


class BERTBaseUncased(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(100, 32)
        self.bert_drop = nn.Dropout(0.3)
        self.out = nn.Linear(32, 1)

    def forward(self, ids, mask):
        pooled = (self.emb(ids) * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True)
        return self.out(self.bert_drop(pooled))


def loss_fn(outputs, targets):
    return nn.BCEWithLogitsLoss()(outputs, targets.view(-1, 1))


def train_fn(data_loader, model, optimizer, device, scheduler):
    model.train()
    for bi, d in tqdm(enumerate(data_loader), total=len(data_loader)):
        ids = d["ids"]
        mask = d["mask"]
        targets = d["targets"]
        ids = ids.to(device, dtype=torch.long)
        mask = mask.to(device, dtype=torch.long)
        targets = targets.to(device, dtype=torch.float)
        optimizer.zero_grad()
        outputs = model(ids=ids, mask=mask)
        loss = loss_fn(outputs, targets)
        fabric.backward(loss)
        optimizer.step()
        scheduler.step()


def eval_fn(data_loader, model, device):
    model.eval()
    fin_targets = []
    fin_outputs = []
    with torch.no_grad():
        for bi, d in tqdm(enumerate(data_loader), total=len(data_loader)):
            ids = d["ids"].to(device, dtype=torch.long)
            mask = d["mask"].to(device, dtype=torch.long)
            targets = d["targets"].to(device, dtype=torch.float)
            outputs = model(ids=ids, mask=mask)
            fin_targets.extend(targets.cpu().detach().numpy().tolist())
            fin_outputs.extend(torch.sigmoid(outputs).cpu().detach().numpy().tolist())
    return fin_outputs, fin_targets


def run():
    global fabric
    torch.manual_seed(42)
    train_data_loader = DataLoader(ReviewDataset(96, 0), batch_size=8, shuffle=True)
    valid_data_loader = DataLoader(ReviewDataset(32, 1), batch_size=8)
    device = torch.device("cpu")
    fabric = Fabric(accelerator=device.type, devices=1)
    fabric.launch()
    train_data_loader = fabric.setup_dataloaders(train_data_loader)
    valid_data_loader = fabric.setup_dataloaders(valid_data_loader)
    model = BERTBaseUncased()
    model.to(device)
    param_optimizer = list(model.named_parameters())
    no_decay = ["bias"]
    optimizer_parameters = [
        {"params": [p for n, p in param_optimizer if not any(nd in n for nd in no_decay)], "weight_decay": 0.001},
        {"params": [p for n, p in param_optimizer if any(nd in n for nd in no_decay)], "weight_decay": 0.0},
    ]
    epochs = 3
    num_train_steps = int(96 / 8 * epochs)
    optimizer = torch.optim.AdamW(optimizer_parameters, lr=3e-3)
    model, optimizer = fabric.setup(model, optimizer)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min(1.0, (step + 1) / 4) * max(0.0, 1 - step / num_train_steps))
    best_accuracy = 0
    for epoch in range(epochs):
        train_fn(train_data_loader, model, optimizer, device, scheduler)
        outputs, targets = eval_fn(valid_data_loader, model, device)
        outputs = np.array(outputs) >= 0.5
        accuracy = np.mean(outputs[:, 0] == np.array(targets))
        fabric.print(f"Accuracy Score = {accuracy}")
        if accuracy > best_accuracy:
            torch.save(model.state_dict(), "model.bin")
            best_accuracy = accuracy


if __name__ == "__main__":
    run()
