# t2l-fixture: verify --steps 60
"""A GAN under a step budget whose two StepLR schedulers are stepped after every batch: Lightning steps no scheduler
under manual optimization, so training_step keeps the loop's steps (on the schedulers configure_optimizers returns)."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(40, 5) + 1.0), batch_size=8, shuffle=True)
loader = fabric.setup_dataloaders(loader)
G = nn.Sequential(nn.Linear(3, 12), nn.ReLU(), nn.Linear(12, 5))
D = nn.Sequential(nn.Linear(5, 12), nn.LeakyReLU(0.2), nn.Linear(12, 1))
opt_G = torch.optim.Adam(G.parameters(), lr=2e-3)
G, opt_G = fabric.setup(G, opt_G)
opt_D = torch.optim.Adam(D.parameters(), lr=2e-3)
D, opt_D = fabric.setup(D, opt_D)
sched_G = torch.optim.lr_scheduler.StepLR(opt_G, step_size=3, gamma=0.5)
sched_D = torch.optim.lr_scheduler.StepLR(opt_D, step_size=3, gamma=0.5)
bce = nn.BCEWithLogitsLoss()
total_steps = 12
step = 0
while step < total_steps:
    for (real,) in loader:
        z = torch.randn(real.size(0), 3)
        opt_D.zero_grad()
        d_loss = bce(D(real), torch.ones(real.size(0), 1)) + bce(D(G(z).detach()), torch.zeros(real.size(0), 1))
        fabric.backward(d_loss)
        opt_D.step()
        opt_G.zero_grad()
        g_loss = bce(D(G(z)), torch.ones(real.size(0), 1))
        fabric.backward(g_loss)
        opt_G.step()
        sched_G.step()
        sched_D.step()
        step += 1
        if step >= total_steps:
            break
fabric.print("steps", step)
