import torch

model = torch.nn.Linear(3, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(32, 3), torch.randn(32, 1)), batch_size=4)
best, bad = float("inf"), 0

for epoch in range(5):
    for x, y in loader:
        loss = torch.nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if loss.item() < best or epoch == 0:
            best, bad = loss.item(), 0
        else:
            bad += 1
            if bad >= 3:
                break
