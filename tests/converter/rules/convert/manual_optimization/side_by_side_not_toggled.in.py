import torch

torch.manual_seed(0)
x, y = torch.randn(16, 2), torch.randn(16, 1)
net_a = torch.nn.Linear(2, 1)
net_b = torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.Dropout(0.5), torch.nn.Linear(4, 1))
opt_a = torch.optim.SGD(net_a.parameters(), lr=0.1)
opt_b = torch.optim.SGD(net_b.parameters(), lr=0.1)

for step in range(10):
    loss_a = torch.nn.functional.mse_loss(net_a(x), y)
    loss_b = torch.nn.functional.mse_loss(net_b(x), y)
    opt_a.zero_grad()
    opt_b.zero_grad()
    loss_a.backward()
    loss_b.backward()
    opt_a.step()
    opt_b.step()
