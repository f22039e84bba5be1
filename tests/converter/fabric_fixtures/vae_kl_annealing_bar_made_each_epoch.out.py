# t2l-fixture: verify --steps 40
"""A VAE tutorial with KL annealing (beta grows with the epoch), a SummaryWriter logging per step at
`epoch * len(loader) + i`, a tqdm bar updated by hand, and samples decoded after each epoch."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.tensorboard import SummaryWriter
from tqdm import tqdm
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


class VAE(nn.Module):
    def __init__(self, d=16, z=4):
        super().__init__()
        self.enc = nn.Linear(d, 32)
        self.mu = nn.Linear(32, z)
        self.logvar = nn.Linear(32, z)
        self.dec = nn.Sequential(nn.Linear(z, 32), nn.ReLU(), nn.Linear(32, d))

    def forward(self, x):
        h = F.relu(self.enc(x))
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return self.dec(z), mu, logvar


torch.manual_seed(0)
data = torch.randn(256, 16)
loader = DataLoader(TensorDataset(data), batch_size=32, shuffle=True)
loader = fabric.setup_dataloaders(loader)
model = VAE()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
model, optimizer = fabric.setup(model, optimizer)
writer = SummaryWriter("runs/vae")
epochs, warmup = 5, 3
for epoch in range(epochs):
    beta = min(1.0, (epoch + 1) / warmup)
    model.train()
    total = 0.0
    pbar = tqdm(total=len(loader), desc=f"epoch {epoch}")
    for i, (x,) in enumerate(loader):
        recon, mu, logvar = model(x)
        rec = F.mse_loss(recon, x, reduction="sum") / x.size(0)
        kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp()) / x.size(0)
        loss = rec + beta * kl
        optimizer.zero_grad()
        fabric.backward(loss)
        optimizer.step()
        total += loss.item()
        writer.add_scalar("loss/train", loss.item(), epoch * len(loader) + i)
        pbar.update(1)
        pbar.set_postfix(loss=f"{loss.item():.3f}")
    pbar.close()
    model.eval()
    with torch.no_grad():
        sample = model.dec(torch.randn(4, 4))
    fabric.print(f"epoch {epoch} beta {beta:.2f} loss {total / len(loader):.4f} sample norm {sample.norm():.4f}")
writer.close()
