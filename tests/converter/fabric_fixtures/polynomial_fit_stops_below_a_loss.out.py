# t2l-fixture: verify --steps 200
"""The pytorch/examples regression shape: a polynomial fitted by one linear layer, random batches from a function,
parameters updated by hand, the loop stopped once the loss is small, the batches it took and the learned function
printed after it."""
import torch
import torch.nn.functional as F
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

POLY_DEGREE = 2
W_target = torch.randn(POLY_DEGREE, 1) * 5
b_target = torch.randn(1) * 5


def make_features(x):
    """Builds features i.e. a matrix with columns [x, x^2]."""
    x = x.unsqueeze(1)
    return torch.cat([x ** i for i in range(1, POLY_DEGREE + 1)], 1)


def f(x):
    """Approximated function."""
    return x.mm(W_target) + b_target.item()


def poly_desc(W, b):
    """Creates a string description of a polynomial."""
    result = "y = "
    for i, w in enumerate(W):
        result += "{:+.2f} x^{} ".format(w, i + 1)
    result += "{:+.2f}".format(b[0])
    return result


def get_batch(batch_size=32):
    """Builds a batch i.e. (x, f(x)) pair."""
    random = torch.randn(batch_size)
    x = make_features(random)
    y = f(x)
    return x, y


fc = torch.nn.Linear(W_target.size(0), 1)
fc = fabric.setup_module(fc)
lr = 0.1

for batch_idx in range(1, 400):
    batch_x, batch_y = fabric.to_device(get_batch())
    fc.zero_grad()
    output = F.smooth_l1_loss(fc(batch_x), batch_y)
    loss = output.item()
    fabric.backward(output)
    for param in fc.parameters():
        param.data.add_(param.grad, alpha=-lr)
    if loss < 1e-1:
        break

fabric.print("Loss: {:.6f} after {} batches".format(loss, batch_idx))
fabric.print("==> Learned function:\t" + poly_desc(fc.weight.view(-1), fc.bias))
fabric.print("==> Actual function:\t" + poly_desc(W_target.view(-1), b_target))
