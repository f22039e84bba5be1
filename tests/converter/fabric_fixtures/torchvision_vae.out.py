# t2l-fixture: verify --steps 8 -- --epochs 2
"""A VAE in the shape of the classic tutorial: torchvision data sets and transforms at module level, unseeded
unless asked, train(epoch)/test(epoch) reading globals, a summed loss divided by len(data) only for printing,
reconstructions saved with save_image on the first test batch. Verified through tests/stand_ins/torchvision."""
import argparse
import os

import torch
import torch.nn.functional as F
from torch import nn, optim
from torchvision import datasets, transforms
from torchvision.utils import save_image
from lightning_fabric import Fabric

parser = argparse.ArgumentParser(description="VAE on digits")
parser.add_argument("--batch-size", type=int, default=128)
parser.add_argument("--epochs", type=int, default=3)
parser.add_argument("--log-interval", type=int, default=2)
parser.add_argument("--out", default="results")
args = parser.parse_args()
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
fabric = Fabric(accelerator=device.type, devices=1)
fabric.launch()
os.makedirs(args.out, exist_ok=True)

train_loader = torch.utils.data.DataLoader(
    datasets.MNIST("../data", train=True, download=True, transform=transforms.ToTensor()),
    batch_size=args.batch_size, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
test_loader = torch.utils.data.DataLoader(
    datasets.MNIST("../data", train=False, transform=transforms.ToTensor()),
    batch_size=args.batch_size, shuffle=False)
test_loader = fabric.setup_dataloaders(test_loader)


class VAE(nn.Module):
    def __init__(self, hidden=200, latent=10):
        super().__init__()
        self.encoder = nn.Linear(784, hidden)
        self.mean = nn.Linear(hidden, latent)
        self.log_var = nn.Linear(hidden, latent)
        self.decoder = nn.Sequential(nn.Linear(latent, hidden), nn.ReLU(), nn.Linear(hidden, 784))

    def forward(self, x):
        h = F.relu(self.encoder(x.view(-1, 784)))  # (B, hidden)
        mu, log_var = self.mean(h), self.log_var(h)  # (B, latent) each
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * log_var)
        return torch.sigmoid(self.decoder(z)), mu, log_var


def loss_function(recon_x, x, mu, log_var):
    reconstruction = F.binary_cross_entropy(recon_x, x.view(-1, 784), reduction="sum")
    kl = -0.5 * torch.sum(1 + log_var - mu.pow(2) - log_var.exp())
    return reconstruction + kl


model = VAE()
optimizer = optim.Adam(model.parameters(), lr=1e-3)
model, optimizer = fabric.setup(model, optimizer)


def train(epoch):
    model.train()
    train_loss = 0
    for batch_idx, (data, _) in enumerate(train_loader):
        data = data.to(device)
        optimizer.zero_grad()
        recon_batch, mu, log_var = model(data)
        loss = loss_function(recon_batch, data, mu, log_var)
        fabric.backward(loss)
        train_loss += loss.item()
        optimizer.step()
        if batch_idx % args.log_interval == 0:
            fabric.print(f"Train Epoch: {epoch} [{batch_idx * len(data)}/{len(train_loader.dataset)}]\tLoss: {loss.item() / len(data):.6f}")
    fabric.print(f"====> Epoch: {epoch} Average loss: {train_loss / len(train_loader.dataset):.4f}")


def test(epoch):
    model.eval()
    test_loss = 0
    with torch.no_grad():
        for i, (data, _) in enumerate(test_loader):
            data = data.to(device)
            recon_batch, mu, log_var = model(data)
            test_loss += loss_function(recon_batch, data, mu, log_var).item()
            if i == 0:
                n = min(data.size(0), 8)
                comparison = torch.cat([data[:n], recon_batch.view(-1, 1, 28, 28)[:n]])
                save_image(comparison.cpu(), f"{args.out}/reconstruction_{epoch}.png", nrow=n)
    test_loss /= len(test_loader.dataset)
    fabric.print(f"====> Test set loss: {test_loss:.4f}")


if __name__ == "__main__":
    for epoch in range(1, args.epochs + 1):
        train(epoch)
        test(epoch)
