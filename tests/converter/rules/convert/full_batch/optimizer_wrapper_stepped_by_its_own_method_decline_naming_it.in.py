import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class ScheduledOptim:
    """Sets the warm-up rate, then steps the optimizer it wraps (the transformer repositories' shape)."""

    def __init__(self, optimizer, warmup):
        self._optimizer, self.warmup, self.n_steps = optimizer, warmup, 0

    def step_and_update_lr(self):
        self.n_steps += 1
        for group in self._optimizer.param_groups:
            group["lr"] = min(self.n_steps ** -0.5, self.n_steps * self.warmup ** -1.5)
        self._optimizer.step()

    def zero_grad(self):
        self._optimizer.zero_grad()


loader = DataLoader(TensorDataset(torch.randn(16, 6), torch.randint(0, 2, (16,))), batch_size=8)
model = nn.Linear(6, 2)
transformer_opt = ScheduledOptim(torch.optim.Adam(model.parameters()), warmup=4)
for epoch in range(2):
    for x, y in loader:
        transformer_opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        transformer_opt.step_and_update_lr()
