import torch
from torch.utils.data import DataLoader, TensorDataset

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=8)
model = torch.nn.Linear(4, 1)
model.to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(2):
    for i, (x, y) in enumerate(loader):
        x = x.to(device)
        loss = torch.nn.functional.mse_loss(model(x), y.to(device))
        noise = torch.randn(8, 1).to(device)  # not a batch: stays
        optimizer.zero_grad()
        (loss + 0 * noise.sum()).backward()
        optimizer.step()
