import torch

model = torch.nn.Linear(4, 1)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(16, 4)), batch_size=4)


def build_scheduler(name, optimizer):
    if name == "step":
        return torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    return None


optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
scheduler = build_scheduler("none", optimizer)
for epoch in range(3):
    for (x,) in loader:
        optimizer.zero_grad()
        model(x).pow(2).mean().backward()
        optimizer.step()
    if scheduler is not None:
        scheduler.step()
