# t2l-fixture: verify --steps 40
"""Shape: the Jovian / freeCodeCamp "Deep Learning with PyTorch" notebooks (copied across Kaggle): a base class with
training_step / validation_step / validation_epoch_end / epoch_end methods, evaluate() under @torch.no_grad(),
fit_one_cycle(epochs, max_lr, model, train_loader, val_loader, weight_decay, grad_clip, opt_func=torch.optim.SGD)
with a OneCycleLR stepped each batch, the rates collected, and a history of results."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="auto", devices=1)
fabric.launch()


def accuracy(outputs, labels):
    _, preds = torch.max(outputs, dim=1)
    return torch.tensor(torch.sum(preds == labels).item() / len(preds))


class ImageClassificationBase(nn.Module):
    def training_step(self, batch):
        images, labels = batch
        out = self(images)
        loss = F.cross_entropy(out, labels)
        return loss

    def validation_step(self, batch):
        images, labels = batch
        out = self(images)
        loss = F.cross_entropy(out, labels)
        acc = accuracy(out, labels)
        return {"val_loss": loss.detach(), "val_acc": acc}

    def validation_epoch_end(self, outputs):
        batch_losses = [x["val_loss"] for x in outputs]
        epoch_loss = torch.stack(batch_losses).mean()
        batch_accs = [x["val_acc"] for x in outputs]
        epoch_acc = torch.stack(batch_accs).mean()
        return {"val_loss": epoch_loss.item(), "val_acc": epoch_acc.item()}

    def epoch_end(self, epoch, result):
        fabric.print("Epoch [{}], last_lr: {:.5f}, train_loss: {:.4f}, val_loss: {:.4f}, val_acc: {:.4f}".format(
            epoch, result["lrs"][-1], result["train_loss"], result["val_loss"], result["val_acc"]))


class ResNetTiny(ImageClassificationBase):
    def __init__(self, in_channels, num_classes):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(in_channels, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2))
        self.res = nn.Sequential(nn.Conv2d(8, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU())
        self.classifier = nn.Sequential(nn.AdaptiveMaxPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(8, num_classes))

    def forward(self, xb):
        out = self.conv(xb)
        out = self.res(out) + out
        return self.classifier(out)


@torch.no_grad()
def evaluate(model, val_loader):
    model.eval()
    outputs = [model.validation_step(batch) for batch in val_loader]
    return model.validation_epoch_end(outputs)


def get_lr(optimizer):
    for param_group in optimizer.param_groups:
        return param_group["lr"]


def fit_one_cycle(epochs, max_lr, model, train_loader, val_loader, weight_decay=0, grad_clip=None, opt_func=torch.optim.SGD):
    torch.cuda.empty_cache()
    history = []
    optimizer = opt_func(model.parameters(), max_lr, weight_decay=weight_decay)
    model, optimizer = fabric.setup(model, optimizer)
    sched = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr, epochs=epochs, steps_per_epoch=len(train_loader))
    for epoch in range(epochs):
        model.train()
        train_losses = []
        lrs = []
        for batch in train_loader:
            loss = model.training_step(batch)
            train_losses.append(loss)
            fabric.backward(loss)
            if grad_clip:
                fabric.clip_gradients(model, optimizer, clip_val=grad_clip)
            optimizer.step()
            optimizer.zero_grad()
            lrs.append(get_lr(optimizer))
            sched.step()
        result = evaluate(model, val_loader)
        result["train_loss"] = torch.stack(train_losses).mean().item()
        result["lrs"] = lrs
        model.epoch_end(epoch, result)
        history.append(result)
    return history


torch.manual_seed(0)
images = torch.randn(160, 3, 8, 8)
labels = torch.randint(0, 4, (160,))
train_dl = DataLoader(TensorDataset(images[:128], labels[:128]), batch_size=16, shuffle=True)
train_dl = fabric.setup_dataloaders(train_dl)
valid_dl = DataLoader(TensorDataset(images[128:], labels[128:]), batch_size=32)
valid_dl = fabric.setup_dataloaders(valid_dl)
model = ResNetTiny(3, 4)
history = [evaluate(model, valid_dl)]
fabric.print(history)
epochs, max_lr, grad_clip, weight_decay = 4, 0.01, 0.1, 1e-4
opt_func = torch.optim.Adam
history += fit_one_cycle(epochs, max_lr, model, train_dl, valid_dl, grad_clip=grad_clip, weight_decay=weight_decay, opt_func=opt_func)
fabric.print([round(r["val_acc"], 4) for r in history])
