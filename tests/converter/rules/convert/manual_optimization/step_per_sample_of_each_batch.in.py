import torch

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
train_loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(40, 4), torch.randn(40, 1)), batch_size=10)

for epoch in range(2):
    for xb, yb in train_loader:
        for xi, yi in zip(xb, yb):
            optimizer.zero_grad()
            loss = (model(xi) - yi).pow(2).mean()
            loss.backward()
            optimizer.step()
