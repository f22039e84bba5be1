import torch

model = torch.compile(torch.nn.Linear(4, 1))
print(type(model._orig_mod).__name__)  # before the set-up: still the compiled module's
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(3):
    loss = model(torch.randn(8, 4)).pow(2).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
torch.save(model._orig_mod.state_dict(), "weights.pt")
