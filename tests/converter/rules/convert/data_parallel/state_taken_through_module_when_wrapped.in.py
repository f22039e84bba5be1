import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(4, 1)
if torch.cuda.is_available():
    model = nn.DataParallel(model)
    torch.backends.cudnn.benchmark = True
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)

for epoch in range(2):
    for x, y in loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()

state = model.module.state_dict() if isinstance(model, nn.DataParallel) else model.state_dict()
if isinstance(model, nn.DataParallel):
    print(model.module.weight.shape)
torch.save(state, "model.pt")
