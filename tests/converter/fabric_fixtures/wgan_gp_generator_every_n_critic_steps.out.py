# t2l-fixture: verify --steps 14
"""WGAN-GP in the shape of the public GAN collections: the critic trained every batch with a gradient penalty
(`autograd.grad(..., create_graph=True)` on interpolated images), the generator every `n_critic` batches. The critic's
loss reaches the generator (its fakes are not detached), and `optimizer_G.zero_grad()` drops those gradients before
the `if`: nothing accumulates across batches."""
import argparse

import numpy as np
import torch
import torch.autograd as autograd
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

parser = argparse.ArgumentParser()
parser.add_argument("--n_epochs", type=int, default=2)
parser.add_argument("--latent_dim", type=int, default=8)
parser.add_argument("--n_critic", type=int, default=3)
opt = parser.parse_args()
torch.manual_seed(0)
np.random.seed(0)
img_shape = (1, 4, 4)

generator = nn.Sequential(nn.Linear(opt.latent_dim, 32), nn.LeakyReLU(0.2), nn.Linear(32, 16), nn.Tanh())
discriminator = nn.Sequential(nn.Linear(16, 32), nn.LeakyReLU(0.2), nn.Linear(32, 1))
optimizer_G = torch.optim.Adam(generator.parameters(), lr=2e-4, betas=(0.5, 0.999))
generator, optimizer_G = fabric.setup(generator, optimizer_G)
optimizer_D = torch.optim.Adam(discriminator.parameters(), lr=2e-4, betas=(0.5, 0.999))
discriminator, optimizer_D = fabric.setup(discriminator, optimizer_D)
dataloader = DataLoader(TensorDataset(torch.rand(96, *img_shape) * 2 - 1), batch_size=16, shuffle=True)
dataloader = fabric.setup_dataloaders(dataloader)
lambda_gp = 10


def compute_gradient_penalty(D, real_samples, fake_samples):
    alpha = torch.tensor(np.random.random((real_samples.size(0), 1)), dtype=torch.float32)
    interpolates = (alpha * real_samples + (1 - alpha) * fake_samples).requires_grad_(True)
    d_interpolates = D(interpolates)
    gradients = autograd.grad(outputs=d_interpolates, inputs=interpolates, grad_outputs=torch.ones_like(d_interpolates),
                              create_graph=True, retain_graph=True)[0]
    return ((gradients.norm(2, dim=1) - 1) ** 2).mean()


for epoch in range(opt.n_epochs):
    for i, (imgs,) in enumerate(dataloader):
        real_imgs = imgs.view(imgs.size(0), -1)

        optimizer_D.zero_grad()
        z = torch.tensor(np.random.normal(0, 1, (imgs.shape[0], opt.latent_dim)), dtype=torch.float32)
        fake_imgs = generator(z)
        gradient_penalty = compute_gradient_penalty(discriminator, real_imgs.data, fake_imgs.data)
        d_loss = -torch.mean(discriminator(real_imgs)) + torch.mean(discriminator(fake_imgs)) + lambda_gp * gradient_penalty
        fabric.backward(d_loss)
        optimizer_D.step()

        optimizer_G.zero_grad()
        if i % opt.n_critic == 0:
            g_loss = -torch.mean(discriminator(generator(z)))
            fabric.backward(g_loss)
            optimizer_G.step()
            fabric.print(f"[Epoch {epoch}/{opt.n_epochs}] [Batch {i}/{len(dataloader)}] [D loss: {d_loss.item():f}] [G loss: {g_loss.item():f}]")
