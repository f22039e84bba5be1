import itertools

import torch
from torch.utils.data import DataLoader, TensorDataset

loader = DataLoader(TensorDataset(torch.randn(32, 6), torch.randn(32, 6)), batch_size=8, shuffle=True)
forward_net, backward_net = torch.nn.Linear(6, 6), torch.nn.Linear(6, 6)
optimizer = torch.optim.Adam(itertools.chain(forward_net.parameters(), backward_net.parameters()), lr=1e-3)
for epoch in range(2):
    for a, b in loader:
        cycle = torch.nn.functional.l1_loss(backward_net(forward_net(a)), a)
        cycle = cycle + torch.nn.functional.l1_loss(forward_net(backward_net(b)), b)
        optimizer.zero_grad()
        cycle.backward()
        optimizer.step()
    print(f"epoch {epoch} cycle loss {cycle.item():.4f}")
