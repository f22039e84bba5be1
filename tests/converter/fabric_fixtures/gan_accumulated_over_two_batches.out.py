# t2l-fixture: verify --steps 60
"""Two optimizers with gradient accumulation: both networks' gradients summed over two batches, then both stepped
and zeroed together (a GAN on small batches)."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(48, 5) + 1.0), batch_size=6, shuffle=True)
loader = fabric.setup_dataloaders(loader)
G = nn.Sequential(nn.Linear(3, 12), nn.ReLU(), nn.Linear(12, 5))
D = nn.Sequential(nn.Linear(5, 12), nn.LeakyReLU(0.2), nn.Linear(12, 1))
opt_G = torch.optim.Adam(G.parameters(), lr=2e-3)
G, opt_G = fabric.setup(G, opt_G)
opt_D = torch.optim.Adam(D.parameters(), lr=2e-3)
D, opt_D = fabric.setup(D, opt_D)
bce = nn.BCEWithLogitsLoss()
accumulate = 2
for epoch in range(2):
    for i, (real,) in enumerate(loader):
        z = torch.randn(real.size(0), 3)
        with fabric.no_backward_sync(D, enabled=(i + 1) % accumulate != 0):
            d_loss = (bce(D(real), torch.ones(real.size(0), 1)) + bce(D(G(z).detach()), torch.zeros(real.size(0), 1))) / accumulate
            fabric.backward(d_loss)
        with fabric.no_backward_sync(D, enabled=(i + 1) % accumulate != 0):
            g_loss = bce(D(G(z)), torch.ones(real.size(0), 1)) / accumulate
            fabric.backward(g_loss)
        if (i + 1) % accumulate == 0:
            opt_D.step()
            opt_G.step()
            opt_D.zero_grad()
            opt_G.zero_grad()
    fabric.print(f"epoch {epoch} d {d_loss.item():.4f} g {g_loss.item():.4f}")
