import torch

torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
srcs = [torch.randn(8, 4) for _ in range(5)]
targets = [torch.randn(8, 1) for _ in range(5)]


def train(src, target):
    optimizer.zero_grad()
    loss = torch.nn.functional.mse_loss(model(src), target)
    loss.backward()
    optimizer.step()
    return loss.item()


for step in range(5):
    loss = train(srcs[step], targets[step] * 2)
