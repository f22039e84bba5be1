import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)
data = torch.randn(64, 4)


def get_batch():
    index = torch.randint(0, 60, (4,))
    return data[index], data[index, :1]


it = 0
x, y = get_batch()
while it < 6:
    optimizer.zero_grad()
    loss = torch.nn.functional.mse_loss(model(x), y)
    x, y = get_batch()
    loss.backward()
    optimizer.step()
    it += 1
