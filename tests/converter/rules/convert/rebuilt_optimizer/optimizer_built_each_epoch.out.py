import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 1)
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)
lr = 0.1
# TODO(t2l): T2L928 `optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)` builds the optimizer anew inside the training loop, from empty state each time; Lightning builds it once, in configure_optimizers (to change its learning rate, use a scheduler); not converted
for epoch in range(3):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)  # momentum restarts each epoch
    for x, y in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
    lr *= 0.5
