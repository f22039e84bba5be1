import torch
from torch.utils.data import DataLoader, TensorDataset

loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=8)
best_loss = float("inf")
# TODO(t2l): T2L921 the loop at line 9 trains inside the loop at line 6 (folds, runs, a sweep), and what it computes carries from one pass to the next (`best_loss`): a Trainer per pass would start each from the value before the outer loop; `--to fabric` keeps both loops, or move one pass into a function that fits its own Trainer and returns what the next needs; not converted
for lr in (0.1, 0.01):
    model = torch.nn.Linear(4, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for epoch in range(2):
        for x, y in loader:
            optimizer.zero_grad()
            loss = torch.nn.functional.mse_loss(model(x), y)
            loss.backward()
            optimizer.step()
            best_loss = min(best_loss, loss.item())
print(best_loss)
