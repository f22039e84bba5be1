# t2l-fixture: verify --steps 60
"""The original WGAN shape: RMSprop for both nets, the critic's weights clamped after each of its steps, the
generator stepped once every n_critic batches, losses printed when it steps."""
import argparse

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

parser = argparse.ArgumentParser()
parser.add_argument("--n_epochs", type=int, default=2)
parser.add_argument("--lr", type=float, default=5e-4)
parser.add_argument("--n_critic", type=int, default=3)
parser.add_argument("--clip_value", type=float, default=0.05)
parser.add_argument("--latent_dim", type=int, default=4)
opt = parser.parse_args()

torch.manual_seed(0)
real_data = torch.randn(96, 6) * 0.5 + 2.0
dataloader = DataLoader(TensorDataset(real_data), batch_size=8, shuffle=True)
dataloader = fabric.setup_dataloaders(dataloader)
generator = nn.Sequential(nn.Linear(opt.latent_dim, 16), nn.ReLU(), nn.Linear(16, 6))
discriminator = nn.Sequential(nn.Linear(6, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))
optimizer_G = torch.optim.RMSprop(generator.parameters(), lr=opt.lr)
generator, optimizer_G = fabric.setup(generator, optimizer_G)
optimizer_D = torch.optim.RMSprop(discriminator.parameters(), lr=opt.lr)
discriminator, optimizer_D = fabric.setup(discriminator, optimizer_D)

batches_done = 0
for epoch in range(opt.n_epochs):
    for i, (imgs,) in enumerate(dataloader):
        optimizer_D.zero_grad()
        z = torch.randn(imgs.shape[0], opt.latent_dim)
        fake_imgs = generator(z).detach()
        loss_D = -torch.mean(discriminator(imgs)) + torch.mean(discriminator(fake_imgs))
        fabric.backward(loss_D)
        optimizer_D.step()
        for p in discriminator.parameters():
            p.data.clamp_(-opt.clip_value, opt.clip_value)

        if i % opt.n_critic == 0:
            optimizer_G.zero_grad()
            gen_imgs = generator(z)
            loss_G = -torch.mean(discriminator(gen_imgs))
            fabric.backward(loss_G)
            optimizer_G.step()
            fabric.print("[Epoch %d/%d] [Batch %d/%d] [D loss: %f] [G loss: %f]"
                  % (epoch, opt.n_epochs, batches_done % len(dataloader), len(dataloader), loss_D.item(), loss_G.item()))
        batches_done += 1
fabric.print("batches", batches_done)
