import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=4)


def train_step(x, y):
    loss = torch.nn.functional.mse_loss(model(x), y)
    if not torch.isfinite(loss):
        return None  # skip a bad batch: inlining cannot express an early return
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


for epoch in range(2):
    for x, y in loader:
        # TODO(t2l): T2L908 `train_step(...)` is a step function called once per batch: move its body into the batch loop (or write it as training_step) and convert again (t2l inlines it itself only when it is called once, with names or constants, and has no early return, yield, global, *args or nested function); not converted
        train_step(x, y)
