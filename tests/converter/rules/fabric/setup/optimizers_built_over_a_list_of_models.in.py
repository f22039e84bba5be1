import torch

torch.manual_seed(0)
x, y = torch.randn(32, 1), torch.randn(32, 1)
nets = torch.nn.ModuleList(torch.nn.Linear(1, 1) for _ in range(3))
opts = [torch.optim.Adam(net.parameters(), lr=0.01) for net in nets]
for step in range(8):
    for net, opt in zip(nets, opts):
        loss = torch.nn.functional.mse_loss(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
