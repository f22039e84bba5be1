import torch
from torch.utils.data import DataLoader, TensorDataset
from tqdm import tqdm

model = torch.nn.Linear(4, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randint(0, 2, (16,))), batch_size=4)

for epoch in range(2):
    for i, (x, y) in tqdm(enumerate(loader), total=len(loader), desc=f"epoch {epoch}"):
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
