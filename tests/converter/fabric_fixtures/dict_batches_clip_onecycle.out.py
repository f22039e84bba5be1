# t2l-fixture: verify --steps 12 -- --epochs 2
"""Transformer fine-tuning shape: dict batches, tqdm, clip_grad_norm_, a per-batch OneCycleLR, a train() function."""
import argparse

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm
from lightning_fabric import Fabric


class TokenDataset(Dataset):
    def __init__(self, n):
        generator = torch.Generator().manual_seed(n)
        self.ids = torch.randint(0, 50, (n, 12), generator=generator)
        self.labels = torch.randint(0, 3, (n,), generator=generator)

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.labels[i]}


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.EmbeddingBag(50, 16)
        self.head = nn.Linear(16, 3)

    def forward(self, input_ids):
        return self.head(self.embed(input_ids))


def train(model, loader, optimizer, scheduler, loss_fn, device, max_grad_norm):
    model.train()
    progress = tqdm(loader, desc="train")
    for batch in progress:
        batch = {k: v.to(device) for k, v in batch.items()}
        logits = model(batch["input_ids"])
        loss = loss_fn(logits, batch["labels"])
        optimizer.zero_grad(set_to_none=True)
        fabric.backward(loss)
        fabric.clip_gradients(model, optimizer, max_norm=max_grad_norm, error_if_nonfinite=False)
        optimizer.step()
        scheduler.step()
        progress.set_postfix(loss=loss.item())


def main():
    global fabric
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--max-grad-norm", type=float, default=0.5)
    args = parser.parse_args()
    torch.manual_seed(7)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    fabric = Fabric(accelerator=torch.device(device).type, devices=1)
    fabric.launch()
    loader = DataLoader(TokenDataset(64), batch_size=8, shuffle=True)
    loader = fabric.setup_dataloaders(loader)
    model = Classifier()
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr)
    model, optimizer = fabric.setup(model, optimizer)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, total_steps=args.epochs * len(loader))
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(args.epochs):
        train(model, loader, optimizer, scheduler, loss_fn, device, args.max_grad_norm)


if __name__ == "__main__":
    main()
