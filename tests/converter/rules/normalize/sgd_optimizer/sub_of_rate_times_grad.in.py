import torch

model = torch.nn.Linear(3, 1)
learning_rate = 1e-2
for t in range(50):
    x = torch.randn(8, 3)
    loss = model(x).pow(2).sum()
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for param in model.parameters():
            param.sub_(learning_rate * param.grad)
