import torch
import torch.nn.functional as F

g = torch.Generator().manual_seed(0)
X, Y = torch.randn(64, 3, generator=g), torch.randint(0, 4, (64,), generator=g)
W = torch.randn((3, 4), generator=g)
b = torch.zeros(4)
parameters = [W, b]
for p in parameters:
    p.requires_grad = True
for i in range(20):
    ix = torch.randint(0, X.shape[0], (8,))
    loss = F.cross_entropy(X[ix] @ W + b, Y[ix])
    for p in parameters:
        p.grad = None
    loss.backward()
    lr = 0.1 if i < 10 else 0.01
    for p in parameters:
        p.data += -lr * p.grad
