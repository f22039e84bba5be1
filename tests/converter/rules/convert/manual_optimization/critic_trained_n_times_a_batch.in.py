import torch

G = torch.nn.Linear(4, 2)
D = torch.nn.Linear(2, 1)
opt_G = torch.optim.Adam(G.parameters())
opt_D = torch.optim.Adam(D.parameters())
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(64, 2)), batch_size=16)

for epoch in range(2):
    for (real,) in loader:
        for _ in range(3):
            d_loss = D(G(torch.randn(16, 4)).detach()).mean() - D(real).mean()
            opt_D.zero_grad()
            d_loss.backward()
            opt_D.step()
        g_loss = -D(G(torch.randn(16, 4))).mean()
        opt_G.zero_grad()
        g_loss.backward()
        opt_G.step()
