import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 4)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(8, 4)), batch_size=4)
samples = []

for epoch in range(2):
    for (x,) in loader:
        recon = model(x)
        loss = torch.nn.functional.mse_loss(recon, x)
        if torch.isfinite(loss):
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    samples.append((epoch, recon.detach()))
