# t2l-fixture: verify --steps 12
"""SimCLR-style: an optimizer class the script writes (LARS, its step() taking no closure), two noisy views of each
batch, an NT-Xent loss."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


class LARS(torch.optim.Optimizer):
    def __init__(self, params, lr, weight_decay=0.0, momentum=0.9, eta=0.001):
        defaults = dict(lr=lr, weight_decay=weight_decay, momentum=momentum, eta=eta)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self):
        for g in self.param_groups:
            for p in g["params"]:
                dp = p.grad
                if dp is None:
                    continue
                dp = dp.add(p, alpha=g["weight_decay"])
                param_norm = torch.norm(p)
                update_norm = torch.norm(dp)
                one = torch.ones_like(param_norm)
                q = torch.where(param_norm > 0.0, torch.where(update_norm > 0, (g["eta"] * param_norm / update_norm), one), one)
                dp = dp.mul(q)
                state = self.state[p]
                if "mu" not in state:
                    state["mu"] = torch.zeros_like(p)
                mu = state["mu"]
                mu.mul_(g["momentum"]).add_(dp)
                p.add_(mu, alpha=-g["lr"])


def nt_xent(z1, z2, temperature=0.5):
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    sim = z @ z.t() / temperature
    n = z1.size(0)
    sim.fill_diagonal_(float("-inf"))
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, targets)


torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(64, 12)), batch_size=16, shuffle=True, drop_last=True)
loader = fabric.setup_dataloaders(loader)
encoder = nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 16))
projector = nn.Sequential(nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 8))
model = nn.Sequential(encoder, projector)
optimizer = LARS(model.parameters(), lr=0.3, weight_decay=1e-6)
for epoch in range(3):
    total = 0.0
    for step, (x,) in enumerate(loader):
        x1 = x + 0.1 * torch.randn_like(x)
        x2 = x + 0.1 * torch.randn_like(x)
        loss = nt_xent(model(x1), model(x2))
        optimizer.zero_grad()
        fabric.backward(loss)
        optimizer.step()
        total += loss.item()
    fabric.print(f"epoch {epoch} loss {total / len(loader):.6f}")
