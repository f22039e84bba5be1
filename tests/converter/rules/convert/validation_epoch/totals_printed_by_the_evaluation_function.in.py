import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(8, 4), torch.randn(8, 1)), batch_size=4)


def evaluate():
    total_loss, correct = 0.0, 0
    for x, y in loader:
        output = model(x)
        total_loss += torch.nn.functional.mse_loss(output, y).item()
        correct += (output.sign() == y.sign()).sum().item()
    print(f"val loss {total_loss / len(loader):.4f}, sign accuracy {correct / 8:.2f}")


for epoch in range(2):
    for x, y in loader:
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
    evaluate()
