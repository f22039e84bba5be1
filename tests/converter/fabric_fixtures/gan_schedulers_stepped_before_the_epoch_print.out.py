# t2l-fixture: verify --steps 40
"""The CycleGAN collections' shape: one Adam over two generators' parameters chained, one per discriminator, each with
a LambdaLR decay stepped at the epoch's end before the epoch's learning rate is printed, and a pool of generated
samples that draws from Python's random (manual optimization: the loop's own scheduler steps, in its order)."""
import argparse
import itertools
import random

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


class SamplePool:
    """Returns the new samples, or with even odds an older one from the pool in their place."""

    def __init__(self, size=6):
        self.size, self.kept = size, []

    def swap(self, batch):
        out = []
        for sample in batch.detach():
            if len(self.kept) < self.size:
                self.kept.append(sample)
                out.append(sample)
            elif random.random() < 0.5:
                slot = random.randrange(self.size)
                out.append(self.kept[slot])
                self.kept[slot] = sample
            else:
                out.append(sample)
        return torch.stack(out)


def linear_decay(total_epochs, start_decay):
    return lambda epoch: 1.0 - max(0, epoch - start_decay) / (total_epochs - start_decay)


parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=3)
parser.add_argument("--decay-from", type=int, default=1)
parser.add_argument("--lr", type=float, default=2e-3)
args = parser.parse_args()

torch.manual_seed(0)
domain_a = torch.randn(24, 6)
domain_b = torch.randn(24, 6) * 0.5 + 1.0
loader = DataLoader(TensorDataset(domain_a, domain_b), batch_size=6, shuffle=True)
loader = fabric.setup_dataloaders(loader)
to_b, to_a = nn.Sequential(nn.Linear(6, 12), nn.ReLU(), nn.Linear(12, 6)), nn.Sequential(nn.Linear(6, 12), nn.ReLU(), nn.Linear(12, 6))
judge_a, judge_b = nn.Sequential(nn.Linear(6, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1)), nn.Sequential(nn.Linear(6, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1))
opt_gen = torch.optim.Adam(itertools.chain(to_b.parameters(), to_a.parameters()), lr=args.lr, betas=(0.5, 0.999))
to_b = fabric.setup_module(to_b)
to_a = fabric.setup_module(to_a)
opt_gen = fabric.setup_optimizers(opt_gen)
opt_a = torch.optim.Adam(judge_a.parameters(), lr=args.lr, betas=(0.5, 0.999))
judge_a, opt_a = fabric.setup(judge_a, opt_a)
opt_b = torch.optim.Adam(judge_b.parameters(), lr=args.lr, betas=(0.5, 0.999))
judge_b, opt_b = fabric.setup(judge_b, opt_b)
decay = linear_decay(args.epochs, args.decay_from)
sched_gen = torch.optim.lr_scheduler.LambdaLR(opt_gen, lr_lambda=decay)
sched_a = torch.optim.lr_scheduler.LambdaLR(opt_a, lr_lambda=decay)
sched_b = torch.optim.lr_scheduler.LambdaLR(opt_b, lr_lambda=decay)
pool_a, pool_b = SamplePool(), SamplePool()
adversarial, cycle = nn.MSELoss(), nn.L1Loss()

for epoch in range(args.epochs):
    for real_a, real_b in loader:
        opt_gen.zero_grad()
        fake_b, fake_a = to_b(real_a), to_a(real_b)
        loss_gen = (adversarial(judge_b(fake_b), torch.ones(len(real_a), 1)) + adversarial(judge_a(fake_a), torch.ones(len(real_b), 1))
                    + 10.0 * (cycle(to_a(fake_b), real_a) + cycle(to_b(fake_a), real_b)))
        fabric.backward(loss_gen)
        opt_gen.step()

        opt_a.zero_grad()
        loss_a = (adversarial(judge_a(real_a), torch.ones(len(real_a), 1))
                  + adversarial(judge_a(pool_a.swap(fake_a)), torch.zeros(len(real_a), 1))) / 2
        fabric.backward(loss_a)
        opt_a.step()

        opt_b.zero_grad()
        loss_b = (adversarial(judge_b(real_b), torch.ones(len(real_b), 1))
                  + adversarial(judge_b(pool_b.swap(fake_b)), torch.zeros(len(real_b), 1))) / 2
        fabric.backward(loss_b)
        opt_b.step()
    sched_gen.step()
    sched_a.step()
    sched_b.step()
    fabric.print(f"epoch {epoch}: generators {loss_gen.item():.4f} judges {(loss_a + loss_b).item() / 2:.4f} "
          f"lr {sched_gen.get_last_lr()[0]:.6f}")
