import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)
data = torch.randn(64, 4)


def get_batch():
    index = torch.randint(0, 60, (4,))
    return data[index], data[index, :1]

max_iters = 6
it = 0
while True:
    if it >= max_iters:
        break
    x, y = get_batch()
    optimizer.zero_grad()
    loss = torch.nn.functional.mse_loss(model(x), y)
    loss.backward()
    optimizer.step()
    it += 1
