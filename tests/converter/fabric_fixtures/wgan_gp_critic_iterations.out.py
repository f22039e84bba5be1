# t2l-fixture: verify --steps 10
"""A WGAN with gradient penalty in the toy-data repositories' shape: an iteration loop, in each the critic trained
CRITIC_ITERS times on batches drawn from an endless generator (its parameters' requires_grad switched on), then the
generator once against the frozen critic."""
import torch
from torch import autograd, nn
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
DIM = 32  # hidden width
BATCH_SIZE = 64
CRITIC_ITERS = 4  # critic updates per generator update
ITERS = 40
LAMBDA = 0.1  # gradient penalty weight


def inf_train_gen():
    """Eight gaussians on a circle, forever."""
    scale = 2.0
    angles = torch.arange(8) * (2 * torch.pi / 8)
    centers = scale * torch.stack([torch.cos(angles), torch.sin(angles)], dim=1)
    while True:
        picks = torch.randint(0, 8, (BATCH_SIZE,))
        yield (centers[picks] + 0.02 * torch.randn(BATCH_SIZE, 2)) / 1.414


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(nn.Linear(2, DIM), nn.ReLU(True), nn.Linear(DIM, DIM), nn.ReLU(True), nn.Linear(DIM, 2))

    def forward(self, noise):
        return self.main(noise)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(nn.Linear(2, DIM), nn.ReLU(True), nn.Linear(DIM, DIM), nn.ReLU(True), nn.Linear(DIM, 1))

    def forward(self, inputs):
        return self.main(inputs).view(-1)


def calc_gradient_penalty(netD, real_data, fake_data):
    alpha = torch.rand(BATCH_SIZE, 1).expand(real_data.size())
    interpolates = (alpha * real_data + (1 - alpha) * fake_data).requires_grad_(True)
    disc_interpolates = netD(interpolates)
    gradients = autograd.grad(outputs=disc_interpolates, inputs=interpolates,
                              grad_outputs=torch.ones(disc_interpolates.size()),
                              create_graph=True, retain_graph=True, only_inputs=True)[0]
    return ((gradients.norm(2, dim=1) - 1) ** 2).mean() * LAMBDA


netG = Generator()
netD = Discriminator()
optimizerD = torch.optim.Adam(netD.parameters(), lr=1e-4, betas=(0.5, 0.9))
netD, optimizerD = fabric.setup(netD, optimizerD)
optimizerG = torch.optim.Adam(netG.parameters(), lr=1e-4, betas=(0.5, 0.9))
netG, optimizerG = fabric.setup(netG, optimizerG)
one = torch.tensor(1.0)
mone = one * -1
data = inf_train_gen()

for iteration in range(ITERS):
    # (1) update the critic
    for p in netD.parameters():
        p.requires_grad = True
    for iter_d in range(CRITIC_ITERS):
        real_data = next(data)
        netD.zero_grad()
        D_real = netD(real_data).mean()
        fabric.backward(D_real, mone)
        noise = torch.randn(BATCH_SIZE, 2)
        fake = netG(noise).detach()
        D_fake = netD(fake).mean()
        fabric.backward(D_fake, one)
        gradient_penalty = calc_gradient_penalty(netD, real_data, fake)
        fabric.backward(gradient_penalty)
        D_cost = D_fake - D_real + gradient_penalty
        Wasserstein_D = D_real - D_fake
        optimizerD.step()
    # (2) update the generator
    for p in netD.parameters():
        p.requires_grad = False  # no computation for the critic's gradients
    netG.zero_grad()
    noise = torch.randn(BATCH_SIZE, 2)
    G = netD(netG(noise)).mean()
    fabric.backward(G, mone)
    G_cost = -G
    optimizerG.step()
    if iteration % 5 == 4:
        fabric.print(f"iter {iteration}: D cost {D_cost.item():.5f}  G cost {G_cost.item():.5f}  W distance {Wasserstein_D.item():.5f}")
