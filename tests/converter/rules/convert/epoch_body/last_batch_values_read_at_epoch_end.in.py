import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 4)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(8, 4)), batch_size=4)
samples = []

for epoch in range(2):
    for (x,) in loader:
        recon = model(x + 0.1 * torch.randn_like(x))
        loss = torch.nn.functional.mse_loss(recon, x)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    samples.append((epoch, x, recon.detach()))
