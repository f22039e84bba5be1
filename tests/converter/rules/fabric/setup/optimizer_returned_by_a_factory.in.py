import torch


def build_optimizer(name, net, lr=0.01):
    if name == "sgd":
        return torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)
    return torch.optim.Adam(net.parameters(), lr=lr)


model = torch.nn.Linear(4, 1)
optimizer = build_optimizer("adam", net=model)
for step in range(3):
    optimizer.zero_grad()
    loss = model(torch.randn(8, 4)).pow(2).mean()
    loss.backward()
    optimizer.step()
