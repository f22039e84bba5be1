import torch
from torch.func import functional_call

model = torch.nn.Linear(4, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(3):
    x = torch.randn(8, 4)
    params = dict(model.named_parameters())
    inner = functional_call(model, params, (x,)).pow(2).mean()
    grads = torch.autograd.grad(inner, list(params.values()), create_graph=True)
    adapted = {name: p - 0.1 * g for (name, p), g in zip(params.items(), grads)}
    loss = functional_call(model, adapted, (x,)).pow(2).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
