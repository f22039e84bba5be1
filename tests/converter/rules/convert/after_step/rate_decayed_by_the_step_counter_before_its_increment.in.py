import numpy as np
import torch

np.random.seed(0)
torch.manual_seed(0)
rays, colors = torch.randn(512, 6), torch.rand(512, 3)
model = torch.nn.Sequential(torch.nn.Linear(6, 32), torch.nn.ReLU(), torch.nn.Linear(32, 3))
lrate = 5e-3
optimizer = torch.optim.Adam(model.parameters(), lr=lrate)
global_step = 0
for i in range(60):
    select = np.random.choice(512, size=[64], replace=False)
    loss = torch.mean((torch.sigmoid(model(rays[select])) - colors[select]) ** 2)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    decay_rate = 0.1
    decay_steps = 50
    new_lrate = lrate * (decay_rate ** (global_step / decay_steps))  # the steps before this one
    for param_group in optimizer.param_groups:
        param_group["lr"] = new_lrate
    if i % 20 == 0:
        print(f"iter {i} loss {loss.item():.6f}")
    global_step += 1
