import torch

model = torch.nn.Linear(3, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
source = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(16, 3), torch.randint(0, 2, (16,))), batch_size=4)
target = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(8, 3), torch.randint(0, 2, (8,))), batch_size=4)

for epoch in range(3):
    for x, y in source:
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    for x, y in target:
        optimizer.zero_grad()
        (0.5 * torch.nn.functional.cross_entropy(model(x), y)).backward()
        optimizer.step()
