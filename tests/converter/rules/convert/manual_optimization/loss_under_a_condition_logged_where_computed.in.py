import torch
from torch.utils.data import DataLoader, TensorDataset

critic, generator = torch.nn.Linear(2, 1), torch.nn.Linear(2, 2)  # models built in one line
opt_c = torch.optim.Adam(critic.parameters())
opt_g = torch.optim.Adam(generator.parameters())
loader = DataLoader(TensorDataset(torch.randn(16, 2)), batch_size=4)

for epoch in range(2):
    for i, (real,) in enumerate(loader):
        z = torch.randn(4, 2)
        c_loss = critic(generator(z).detach()).mean() - critic(real).mean()
        opt_c.zero_grad()
        c_loss.backward()
        opt_c.step()
        if i % 3 == 0:
            z = torch.randn(4, 2)
            g_loss = -critic(generator(z)).mean()
            opt_g.zero_grad()
            g_loss.backward()
            opt_g.step()
    print(epoch, c_loss.item(), g_loss.item())
