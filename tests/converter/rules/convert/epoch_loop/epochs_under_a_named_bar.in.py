import torch
from torch.utils.data import DataLoader, TensorDataset
from tqdm import tqdm

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)
epochs = 3
pbar = tqdm(range(epochs), desc="epochs")
for epoch in pbar:
    for x, y in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
    pbar.set_postfix(loss=loss.item())
