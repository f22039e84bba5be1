import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Linear(4, 1)
if torch.cuda.device_count() > 1:
    model = nn.DataParallel(model)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)

for epoch in range(2):
    for x, y in loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()

model_to_save = model.module if hasattr(model, "module") else model
torch.save(model_to_save.state_dict(), "model.pt")
bare = model.module if isinstance(model, (nn.DataParallel, nn.parallel.DistributedDataParallel)) else model
print(type(bare).__name__)
