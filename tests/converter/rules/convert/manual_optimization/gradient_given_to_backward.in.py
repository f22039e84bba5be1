import torch

model = torch.nn.Linear(3, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(32, 3), torch.randn(32, 2)), batch_size=8)

for epoch in range(2):
    for x, y in loader:
        optimizer.zero_grad()
        losses = (model(x) - y) ** 2  # one loss per element, summed by the gradient of ones
        losses.backward(torch.ones_like(losses))
        optimizer.step()
