# t2l-fixture: verify --steps 18
"""In the shape of the detection references' train_one_epoch: the model returns a dict of losses, summed; a non-finite
loss prints and exits; param groups with two learning rates;
an evaluate function decorated with @torch.no_grad(); a warmup LambdaLR stepped per batch in the first epoch."""
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)


class TwoHeads(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(8, 16), nn.ReLU())
        self.cls_head = nn.Linear(16, 3)
        self.box_head = nn.Linear(16, 4)

    def forward(self, x, targets=None):
        h = self.backbone(x)
        logits, boxes = self.cls_head(h), self.box_head(h)
        if targets is None:
            return logits, boxes
        return {
            "loss_classifier": nn.functional.cross_entropy(logits, targets["labels"]),
            "loss_box_reg": nn.functional.smooth_l1_loss(boxes, targets["boxes"]),
        }


def collate(samples):
    x = torch.stack([s[0] for s in samples])
    return x, {"labels": torch.stack([s[1] for s in samples]), "boxes": torch.stack([s[2] for s in samples])}


data = TensorDataset(torch.randn(96, 8), torch.randint(0, 3, (96,)), torch.randn(96, 4))
train_loader = DataLoader(data, batch_size=16, shuffle=True, collate_fn=collate)
train_loader = fabric.setup_dataloaders(train_loader)
test_loader = DataLoader(TensorDataset(torch.randn(32, 8), torch.randint(0, 3, (32,)), torch.randn(32, 4)), batch_size=16, collate_fn=collate)
test_loader = fabric.setup_dataloaders(test_loader)

model = TwoHeads()
params = [
    {"params": model.backbone.parameters(), "lr": 0.01},
    {"params": list(model.cls_head.parameters()) + list(model.box_head.parameters()), "lr": 0.05},
]
optimizer = torch.optim.SGD(params, momentum=0.9, weight_decay=1e-4)
optimizer = fabric.setup_optimizers(optimizer)


def train_one_epoch(model, optimizer, data_loader, epoch, print_freq=2):
    model.train()
    lr_scheduler = None
    if epoch == 0:
        warmup_iters = min(5, len(data_loader) - 1)
        lr_scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda it: min(1.0, (it + 1) / warmup_iters))
    for i, (images, targets) in enumerate(data_loader):
        loss_dict = model(images, targets)
        losses = sum(loss for loss in loss_dict.values())
        loss_value = losses.item()
        if not math.isfinite(loss_value):
            fabric.print(f"Loss is {loss_value}, stopping training")
            raise SystemExit(1)
        optimizer.zero_grad()
        fabric.backward(losses)
        optimizer.step()
        if lr_scheduler is not None:
            lr_scheduler.step()
        if i % print_freq == 0:
            fabric.print(f"epoch {epoch} iter {i} loss {loss_value:.4f} lr {optimizer.param_groups[0]['lr']:.5f}")


@torch.no_grad()
def evaluate(model, data_loader):
    model.eval()
    correct = 0
    for images, targets in data_loader:
        logits, _ = model(images)
        correct += (logits.argmax(1) == targets["labels"]).sum().item()
    return correct / len(data_loader.dataset)


for epoch in range(3):
    train_one_epoch(model, optimizer, train_loader, epoch)
    acc = evaluate(model, test_loader)
    fabric.print(f"epoch {epoch}: accuracy {acc:.3f}")
