import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randint(0, 2, (16,))), batch_size=4)
best_val = 0.0
for epoch in range(5):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    val, test = evaluate(model)
    if val > best_val:
        best_val = val
        test_at_best = test
    print(f"epoch {epoch}: val {val:.3f}, test at the best val {test_at_best:.3f}")
