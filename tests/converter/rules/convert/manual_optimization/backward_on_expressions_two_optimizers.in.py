import torch
from torch.utils.data import DataLoader, TensorDataset

generator = torch.nn.Sequential(torch.nn.Linear(3, 6), torch.nn.Tanh(), torch.nn.Linear(6, 3))
critic = torch.nn.Sequential(torch.nn.Linear(3, 6), torch.nn.LeakyReLU(0.2), torch.nn.Linear(6, 1))
opt_critic = torch.optim.RMSprop(critic.parameters(), lr=5e-5)
opt_gen = torch.optim.RMSprop(generator.parameters(), lr=5e-5)
samples = DataLoader(TensorDataset(torch.randn(48, 3)), batch_size=12, shuffle=True)
for epoch in range(2):
    for (real,) in samples:
        opt_critic.zero_grad()
        (critic(generator(torch.randn(12, 3)).detach()).mean() - critic(real).mean()).backward()
        opt_critic.step()
        opt_gen.zero_grad()
        (-critic(generator(torch.randn(12, 3))).mean()).backward()
        opt_gen.step()
