import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 4)
optimizer = torch.optim.Adam(model.parameters())
loader = DataLoader(TensorDataset(torch.randn(8, 4)), batch_size=4)
for epoch in range(2):
    for i, (x,) in enumerate(loader):
        optimizer.zero_grad()
        reconstruction = model(x)
        loss = torch.nn.functional.mse_loss(reconstruction, x)
        loss.backward()
        optimizer.step()
        torch.save(reconstruction.detach(), f"reconstruction_{epoch}_{i}.pt")
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, "last.pt")
