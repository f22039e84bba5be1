import torch

device = torch.device("cpu")
model = torch.nn.Linear(4, 1).to(device)
print(model(torch.randn(1, 4, device=device)).shape)  # used on the device before the optimizer exists
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(3):
    loss = model(torch.randn(8, 4, device=device)).pow(2).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
