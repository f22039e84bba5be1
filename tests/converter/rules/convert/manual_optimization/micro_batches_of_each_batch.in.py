import torch

model = torch.nn.Linear(4, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(32, 4), torch.randn(32, 2)), batch_size=8)

for epoch in range(2):
    for xb, yb in loader:
        optimizer.zero_grad()
        for xm, ym in zip(xb.chunk(2), yb.chunk(2)):
            loss = torch.nn.functional.mse_loss(model(xm), ym) / 2
            loss.backward()
        optimizer.step()
