# t2l-fixture: verify --steps 24
"""The SSD tutorial's train.py shape: epochs derived from an iteration budget, learning-rate decay at listed epochs
through an adjust_learning_rate helper, a collate_fn returning lists of per-image targets moved one by one, the
batch's tensors `del`-eted at the end of each step, meters for the data and batch times, and save_checkpoint
writing a dict holding the model and optimizer objects each epoch."""
import time

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from lightning_fabric import Fabric

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
fabric = Fabric(accelerator=device.type, devices=1)
fabric.launch()


class AverageMeter:
    def __init__(self):
        self.val = self.avg = self.sum = self.count = 0

    def update(self, val, n=1):
        self.val = val
        self.sum += val * n
        self.count += n
        self.avg = self.sum / self.count


class Boxes(Dataset):
    def __init__(self, n):
        g = torch.Generator().manual_seed(5)
        self.images = torch.randn(n, 3, 8, 8, generator=g)
        self.boxes = [torch.rand(int(k), 4, generator=g) for k in torch.randint(1, 4, (n,), generator=g)]
        self.labels = [torch.randint(0, 3, (len(b),), generator=g) for b in self.boxes]

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        return self.images[i], self.boxes[i], self.labels[i]

    @staticmethod
    def collate_fn(batch):
        images = torch.stack([b[0] for b in batch])
        return images, [b[1] for b in batch], [b[2] for b in batch]


class TinySSD(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.locs = nn.Linear(8, 4)
        self.scores = nn.Linear(8, 3)

    def forward(self, images):
        f = self.features(images)
        return self.locs(f), self.scores(f)


class MultiBoxLoss(nn.Module):
    def forward(self, predicted_locs, predicted_scores, boxes, labels):
        loc_loss = sum(((predicted_locs[i] - b.mean(0)) ** 2).mean() for i, b in enumerate(boxes)) / len(boxes)
        conf_loss = sum(nn.functional.cross_entropy(predicted_scores[i].expand(len(l), -1), l) for i, l in enumerate(labels)) / len(labels)
        return loc_loss + conf_loss


def adjust_learning_rate(optimizer, scale):
    for param_group in optimizer.param_groups:
        param_group["lr"] = param_group["lr"] * scale
    fabric.print("DECAYING learning rate.\n The new LR is %f\n" % (optimizer.param_groups[1]["lr"],))


def save_checkpoint(epoch, model, optimizer):
    state = {"epoch": epoch, "model": model, "optimizer": optimizer}
    torch.save(state, "checkpoint_ssd300.pth.tar")


def train(train_loader, model, criterion, optimizer, epoch):
    model.train()
    batch_time = AverageMeter()
    data_time = AverageMeter()
    losses = AverageMeter()
    start = time.time()
    for i, (images, boxes, labels) in enumerate(train_loader):
        data_time.update(time.time() - start)
        images = images.to(device)
        boxes = [b.to(device) for b in boxes]
        labels = [l.to(device) for l in labels]
        predicted_locs, predicted_scores = model(images)
        loss = criterion(predicted_locs, predicted_scores, boxes, labels)
        optimizer.zero_grad()
        fabric.backward(loss)
        optimizer.step()
        losses.update(loss.item(), images.size(0))
        batch_time.update(time.time() - start)
        start = time.time()
        if i % 2 == 0:
            fabric.print("Epoch: [{0}][{1}/{2}]\tLoss {loss.val:.4f} ({loss.avg:.4f})".format(epoch, i, len(train_loader), loss=losses))
    del predicted_locs, predicted_scores, images, boxes, labels


def main():
    torch.manual_seed(0)
    model = TinySSD()
    biases, not_biases = [], []
    for param_name, param in model.named_parameters():
        if param.requires_grad:
            if param_name.endswith(".bias"):
                biases.append(param)
            else:
                not_biases.append(param)
    lr = 1e-2
    optimizer = torch.optim.SGD(params=[{"params": biases, "lr": 2 * lr}, {"params": not_biases}], lr=lr, momentum=0.9, weight_decay=5e-4)
    model = model.to(device)
    criterion = MultiBoxLoss().to(device)
    train_dataset = Boxes(48)
    train_loader = DataLoader(train_dataset, batch_size=8, shuffle=True, collate_fn=train_dataset.collate_fn)
    train_loader = fabric.setup_dataloaders(train_loader)
    iterations, decay_lr_at = 24, [12, 18]
    epochs = iterations // (len(train_dataset) // 8)
    decay_lr_at = [it // (len(train_dataset) // 8) for it in decay_lr_at]
    for epoch in range(epochs):
        if epoch in decay_lr_at:
            adjust_learning_rate(optimizer, 0.1)
        train(train_loader=train_loader, model=model, criterion=criterion, optimizer=optimizer, epoch=epoch)
        save_checkpoint(epoch, model, optimizer)


if __name__ == "__main__":
    main()
