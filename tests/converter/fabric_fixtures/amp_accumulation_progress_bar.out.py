# t2l-fixture: verify --steps 8
"""Fine-tuning in the shape of Hugging Face-style scripts: AMP by flag (torch.amp.autocast + GradScaler("cuda")),
gradient accumulation with the unscale / clip / scaler.step / update / zero_grad / scheduler.step block under the
`if`, the loss divided inside the autocast block, a tqdm bar assigned before the loop."""
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from tqdm import tqdm
from lightning_fabric import Fabric

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=2)
parser.add_argument("--accum", type=int, default=2)
parser.add_argument("--fp16", action="store_true")
args = parser.parse_args()

device = "cuda" if torch.cuda.is_available() else "cpu"
fabric = Fabric(accelerator=torch.device(device).type, devices=1, precision="16-mixed" if args.fp16 and torch.device(device).type == "cuda" else "32-true")
fabric.launch()
torch.manual_seed(0)
data = TensorDataset(torch.randn(64, 16), torch.randint(0, 3, (64,)))
train_loader = DataLoader(data, batch_size=8, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
model = nn.Sequential(nn.Linear(16, 32), nn.GELU(), nn.Linear(32, 3))
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
model, optimizer = fabric.setup(model, optimizer)
scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: min(1.0, (s + 1) / 4))
criterion = nn.CrossEntropyLoss()

for epoch in range(args.epochs):
    model.train()
    progress = tqdm(train_loader, desc=f"epoch {epoch}")
    for step, (x, y) in enumerate(progress):
        with fabric.no_backward_sync(model, enabled=(step + 1) % args.accum != 0):
            with fabric.autocast():
                logits = model(x)
                loss = criterion(logits, y) / args.accum
            fabric.backward(loss)
        if (step + 1) % args.accum == 0:
            fabric.clip_gradients(model, optimizer, max_norm=1.0, error_if_nonfinite=False)
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            scheduler.step()
        progress.set_postfix(loss=loss.item() * args.accum)
