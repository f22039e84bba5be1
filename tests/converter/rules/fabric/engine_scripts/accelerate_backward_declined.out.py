import torch
from accelerate import Accelerator
from torch.utils.data import DataLoader, TensorDataset

accelerator = Accelerator()
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)
model, optimizer, loader = accelerator.prepare(model, optimizer, loader)
for epoch in range(2):
    for x, y in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        # TODO(t2l): T2L932 `accelerator.backward(...)`: the script trains through HF Accelerate already (its backward, its prepared model, optimizer and loaders); a Fabric script starts from the plain PyTorch loop: convert that version of the script, or keep this one; not converted
        accelerator.backward(loss)
        optimizer.step()
