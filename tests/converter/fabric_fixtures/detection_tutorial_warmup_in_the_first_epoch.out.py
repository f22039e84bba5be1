# t2l-fixture: verify --steps 40
"""The TorchVision object-detection fine-tuning tutorial's engine.train_one_epoch: a model that returns a dict of
losses in train mode, targets as a list of dicts moved to the device, a LinearLR warmup built in the first epoch only
and stepped each batch, a StepLR stepped each epoch, a metric logger printing every print_freq batches."""
import math
import sys

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from lightning_fabric import Fabric


class ToyDetection(Dataset):
    def __init__(self, n):
        g = torch.Generator().manual_seed(1)
        self.images = torch.randn(n, 3, 16, 16, generator=g)
        self.boxes = torch.rand(n, 2, 4, generator=g)
        self.labels = torch.randint(1, 3, (n, 2), generator=g)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        return self.images[i], {"boxes": self.boxes[i], "labels": self.labels[i]}


def collate_fn(batch):
    return tuple(zip(*batch))


class TinyDetector(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.box_head = nn.Linear(8, 8)
        self.cls_head = nn.Linear(8, 6)

    def forward(self, images, targets=None):
        features = self.backbone(torch.stack(images))
        boxes = self.box_head(features).view(-1, 2, 4)
        logits = self.cls_head(features).view(-1, 2, 3)
        if self.training:
            gt_boxes = torch.stack([t["boxes"] for t in targets])
            gt_labels = torch.stack([t["labels"] for t in targets])
            return {"loss_box_reg": nn.functional.smooth_l1_loss(boxes, gt_boxes),
                    "loss_classifier": nn.functional.cross_entropy(logits.reshape(-1, 3), gt_labels.reshape(-1))}
        return [{"boxes": b, "scores": l.softmax(-1).max(-1).values} for b, l in zip(boxes, logits)]


def train_one_epoch(model, optimizer, data_loader, device, epoch, print_freq):
    model.train()
    lr_scheduler = None
    if epoch == 0:
        warmup_factor = 1.0 / 1000
        warmup_iters = min(1000, len(data_loader) - 1)
        lr_scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=warmup_factor, total_iters=warmup_iters)
    for i, (images, targets) in enumerate(data_loader):
        images = list(image.to(device) for image in images)
        targets = [{k: v.to(device) for k, v in t.items()} for t in targets]
        loss_dict = model(images, targets)
        losses = sum(loss for loss in loss_dict.values())
        loss_value = losses.item()
        if not math.isfinite(loss_value):
            fabric.print(f"Loss is {loss_value}, stopping training")
            sys.exit(1)
        optimizer.zero_grad()
        fabric.backward(losses)
        optimizer.step()
        if lr_scheduler is not None:
            lr_scheduler.step()
        if i % print_freq == 0:
            fabric.print(f"Epoch: [{epoch}] [{i}/{len(data_loader)}] loss: {loss_value:.4f} lr: {optimizer.param_groups[0]['lr']:.6f}")


def main():
    global fabric
    torch.manual_seed(0)
    device = torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu")
    fabric = Fabric(accelerator=torch.device(device).type, devices=1)
    fabric.launch()
    data_loader = DataLoader(ToyDetection(64), batch_size=4, shuffle=True, collate_fn=collate_fn)
    data_loader = fabric.setup_dataloaders(data_loader)
    model = TinyDetector()
    model.to(device)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.SGD(params, lr=0.005, momentum=0.9, weight_decay=0.0005)
    model, optimizer = fabric.setup(model, optimizer)
    lr_scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.1)
    num_epochs = 3
    for epoch in range(num_epochs):
        train_one_epoch(model, optimizer, data_loader, device, epoch, print_freq=5)
        lr_scheduler.step()
    fabric.print("That's it!")


if __name__ == "__main__":
    main()
