import torch
from torch.utils.data import DataLoader, TensorDataset
from tqdm import tqdm

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)

for epoch in range(2):
    pbar = tqdm(total=len(loader), desc=f"epoch {epoch}")
    for x, y in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        pbar.update(1)
    pbar.close()
    print(f"epoch {epoch} done")
