# t2l-fixture: verify --steps 30
"""WGAN-GP: the critic steps every batch, the generator every n_critic batches; a gradient penalty via autograd.grad."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
real_data = torch.randn(128, 2) * 0.5 + 1.0
loader = DataLoader(TensorDataset(real_data), batch_size=16, shuffle=True)
loader = fabric.setup_dataloaders(loader)
G = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))
D = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))
opt_g = torch.optim.Adam(G.parameters(), lr=1e-3, betas=(0.5, 0.9))
opt_g = fabric.setup_optimizers(opt_g)
opt_d = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.9))
opt_d = fabric.setup_optimizers(opt_d)
n_critic = 3
lambda_gp = 10.0


def gradient_penalty(critic, real, fake):
    alpha = torch.rand(real.size(0), 1)
    mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    scores = critic(mixed)
    grads = torch.autograd.grad(scores, mixed, grad_outputs=torch.ones_like(scores), create_graph=True)[0]
    return ((grads.norm(2, dim=1) - 1) ** 2).mean()


for epoch in range(2):
    for i, (real,) in enumerate(loader):
        z = torch.randn(real.size(0), 4)
        fake = G(z).detach()
        d_loss = D(fake).mean() - D(real).mean() + lambda_gp * gradient_penalty(D, real, fake)
        opt_d.zero_grad()
        fabric.backward(d_loss)
        opt_d.step()
        if i % n_critic == 0:
            z = torch.randn(real.size(0), 4)
            g_loss = -D(G(z)).mean()
            opt_g.zero_grad()
            fabric.backward(g_loss)
            opt_g.step()
    fabric.print(epoch, d_loss.item(), g_loss.item())
fabric.print(G[0].weight.sum().item(), D[0].weight.sum().item())
