import torch
from lightning_fabric import Fabric
from torch.utils.data import DataLoader, TensorDataset

fabric = Fabric(accelerator="cpu")
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = fabric.setup(model, optimizer)
loader = fabric.setup_dataloaders(DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4))
for epoch in range(2):
    # TODO(t2l): T2L931 `fabric.backward(...)`: the script trains through Lightning Fabric already (its backward, its prepared model, optimizer and loaders); a LightningModule starts from the plain PyTorch loop: convert that version of the script, or keep this one; not converted
    for x, y in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        fabric.backward(loss)
        optimizer.step()
