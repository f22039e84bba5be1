import torch

model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Dropout(0.5), torch.nn.Linear(8, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
head_optimizer = torch.optim.SGD(model[2].parameters(), lr=0.1)
test_x = torch.randn(8, 4)
predictions = []


def batches():
    while True:
        yield torch.randn(2, 4), torch.randn(2, 1)


data = batches()
for step in range(16):
    model.train()
    x, y = next(data)
    loss = torch.nn.functional.mse_loss(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    head_loss = model(x).pow(2).mean()
    head_optimizer.zero_grad()
    head_loss.backward()
    head_optimizer.step()
    if step % 4 == 0:
        model.eval()
        with torch.no_grad():
            predictions.append(model(test_x).mean().item())
