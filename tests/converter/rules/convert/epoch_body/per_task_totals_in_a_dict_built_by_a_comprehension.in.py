import torch
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
trunk = torch.nn.Linear(4, 8)
heads = torch.nn.ModuleDict({"a": torch.nn.Linear(8, 1), "b": torch.nn.Linear(8, 1)})
optimizer = torch.optim.SGD([*trunk.parameters(), *heads.parameters()], lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 2)), batch_size=4, shuffle=True)
for epoch in range(2):
    sums = {k: 0.0 for k in heads}
    for x, y in loader:
        h = trunk(x)
        losses = {k: torch.nn.functional.mse_loss(heads[k](h), y[:, i : i + 1]) for i, k in enumerate(heads)}
        loss = sum(losses.values())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        for k, value in losses.items():
            sums[k] += value.item()
    print(epoch, {k: round(v / len(loader), 6) for k, v in sums.items()})
