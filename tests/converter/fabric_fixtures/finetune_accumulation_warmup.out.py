# t2l-fixture: verify --steps 6 -- --epochs 2
"""Fine-tuning script in the style of text-classification examples: argparse, dict batches, a warm-up LambdaLR
stepped with the optimizer, clipping, tqdm, and accumulation with a last-batch clause."""
import argparse

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset
from tqdm import tqdm
from lightning_fabric import Fabric


class ToyTextDataset(Dataset):
    def __init__(self, n=40, length=12, vocab=50):
        g = torch.Generator().manual_seed(1)
        self.ids = torch.randint(0, vocab, (n, length), generator=g)
        self.labels = (self.ids.sum(1) % 2).long()

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.labels[i]}


class Classifier(nn.Module):
    def __init__(self, vocab=50, dim=16):
        super().__init__()
        self.embed = nn.EmbeddingBag(vocab, dim)
        self.head = nn.Linear(dim, 2)

    def forward(self, input_ids, labels=None):
        logits = self.head(self.embed(input_ids))
        loss = nn.functional.cross_entropy(logits, labels)
        return loss, logits


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--gradient_accumulation_steps", type=int, default=3)
    parser.add_argument("--max_grad_norm", type=float, default=1.0)
    args = parser.parse_args()
    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    fabric = Fabric(accelerator=device.type, devices=1)
    fabric.launch()
    model = Classifier()
    train_loader = DataLoader(ToyTextDataset(), batch_size=4, shuffle=True)
    train_loader = fabric.setup_dataloaders(train_loader)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
    model, optimizer = fabric.setup(model, optimizer)
    warmup = 3
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: min(1.0, (s + 1) / warmup))
    for epoch in range(args.epochs):
        model.train()
        for step, batch in enumerate(tqdm(train_loader, desc=f"epoch {epoch}")):
            batch = {k: v.to(device) for k, v in batch.items()}
            with fabric.no_backward_sync(model, enabled=not ((step + 1) % args.gradient_accumulation_steps == 0 or (step + 1) == len(train_loader))):
                loss, _ = model(**batch)
                loss = loss / args.gradient_accumulation_steps
                fabric.backward(loss)
            if (step + 1) % args.gradient_accumulation_steps == 0 or (step + 1) == len(train_loader):
                fabric.clip_gradients(model, optimizer, max_norm=args.max_grad_norm, error_if_nonfinite=False)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad()


if __name__ == "__main__":
    main()
