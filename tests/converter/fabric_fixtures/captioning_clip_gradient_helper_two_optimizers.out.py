# t2l-fixture: verify --steps 24
"""The image-captioning tutorial's train(), fine-tuning its encoder: a decoder and an encoder optimizer, each use of the
encoder's under `if encoder_optimizer is not None:`, a clip_gradient helper clamping each group's
gradients between backward and the step, AverageMeters, and a shrink-the-rate helper after epochs without gain."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


class AverageMeter:
    def __init__(self):
        self.reset()

    def reset(self):
        self.val = 0
        self.avg = 0
        self.sum = 0
        self.count = 0

    def update(self, val, n=1):
        self.val = val
        self.sum += val * n
        self.count += n
        self.avg = self.sum / self.count


def clip_gradient(optimizer, grad_clip):
    for group in optimizer.param_groups:
        for param in group["params"]:
            if param.grad is not None:
                param.grad.data.clamp_(-grad_clip, grad_clip)


def adjust_learning_rate(optimizer, shrink_factor):
    for param_group in optimizer.param_groups:
        param_group["lr"] = param_group["lr"] * shrink_factor


def train(train_loader, encoder, decoder, criterion, encoder_optimizer, decoder_optimizer, epoch, grad_clip):
    decoder.train()
    encoder.train()
    losses = AverageMeter()
    for i, (imgs, targets) in enumerate(train_loader):
        scores = decoder(encoder(imgs))
        loss = criterion(scores, targets)
        decoder_optimizer.zero_grad()
        if encoder_optimizer is not None:
            encoder_optimizer.zero_grad()
        fabric.backward(loss)
        if grad_clip is not None:
            clip_gradient(decoder_optimizer, grad_clip)
            if encoder_optimizer is not None:
                clip_gradient(encoder_optimizer, grad_clip)
        decoder_optimizer.step()
        if encoder_optimizer is not None:
            encoder_optimizer.step()
        losses.update(loss.item(), imgs.size(0))
    fabric.print(f"Epoch: [{epoch}] Loss {losses.avg:.4f}")
    return losses.avg


torch.manual_seed(0)
train_loader = DataLoader(TensorDataset(torch.randn(96, 8), torch.randint(0, 5, (96,))), batch_size=16, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
encoder = nn.Sequential(nn.Linear(8, 16), nn.ReLU())
decoder = nn.Linear(16, 5)
fine_tune_encoder = False
encoder_optimizer = torch.optim.Adam(encoder.parameters(), lr=1e-4)
encoder, encoder_optimizer = fabric.setup(encoder, encoder_optimizer)
decoder_optimizer = torch.optim.Adam(decoder.parameters(), lr=4e-3)
decoder, decoder_optimizer = fabric.setup(decoder, decoder_optimizer)
criterion = nn.CrossEntropyLoss()
best, epochs_since_improvement = float("inf"), 0
for epoch in range(4):
    if epochs_since_improvement > 0 and epochs_since_improvement % 2 == 0:
        adjust_learning_rate(decoder_optimizer, 0.8)
    avg = train(train_loader, encoder, decoder, criterion, encoder_optimizer, decoder_optimizer, epoch, grad_clip=0.05)
    if avg < best:
        best, epochs_since_improvement = avg, 0
    else:
        epochs_since_improvement += 1
