# t2l-fixture: verify --steps 30
"""A denoising diffusion model (noise prediction) with an exponential moving average of its weights, updated by
hand after each optimizer step; the EMA copy is what the script keeps. A setup loop binds the same name `p`."""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

T = 50
betas = torch.linspace(1e-4, 0.02, T)
alphas_cumprod = torch.cumprod(1 - betas, dim=0)


class Denoiser(nn.Module):
    def __init__(self, dim=16):
        super().__init__()
        self.time_embed = nn.Embedding(T, 32)
        self.net = nn.Sequential(nn.Linear(dim + 32, 64), nn.SiLU(), nn.Linear(64, dim))

    def forward(self, x, t):  # x: (B, dim), t: (B,)
        return self.net(torch.cat([x, self.time_embed(t)], dim=1))


def main():
    torch.manual_seed(0)
    data = torch.randn(256, 16) * 0.5 + 1.0
    loader = DataLoader(TensorDataset(data), batch_size=32, shuffle=True)
    loader = fabric.setup_dataloaders(loader)
    model = Denoiser()
    ema = copy.deepcopy(model)
    for p in ema.parameters():
        p.requires_grad_(False)
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    model, optimizer = fabric.setup(model, optimizer)
    ema_decay = 0.99
    for epoch in range(3):
        model.train()
        total = 0.0
        for (x0,) in loader:
            t = torch.randint(0, T, (x0.shape[0],))
            noise = torch.randn_like(x0)
            a = alphas_cumprod[t].unsqueeze(1)
            xt = a.sqrt() * x0 + (1 - a).sqrt() * noise
            loss = F.mse_loss(model(xt, t), noise)
            optimizer.zero_grad()
            fabric.backward(loss)
            optimizer.step()
            with torch.no_grad():
                for p_ema, p in zip(ema.parameters(), model.parameters()):
                    p_ema.mul_(ema_decay).add_(p, alpha=1 - ema_decay)
            total += loss.item()
        fabric.print(f"epoch {epoch}: loss {total / len(loader):.4f}")
    fabric.print("ema", sum(p.double().sum().item() for p in ema.parameters()))
    torch.save(ema.state_dict(), "ema.pt")


if __name__ == "__main__":
    main()
