import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Dropout(0.5), torch.nn.Linear(8, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
train_loader = DataLoader(TensorDataset(torch.randn(32, 4), torch.randn(32, 1)), batch_size=4)
test_x, test_y = torch.randn(8, 4), torch.randn(8, 1)


def test_loss():
    model.eval()
    with torch.no_grad():
        return torch.nn.functional.mse_loss(model(test_x), test_y).item()


for epoch in range(2):
    for step, (x, y) in enumerate(train_loader):
        model.train()
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        if step % 4 == 0:
            print(f"step {step}: test loss {test_loss():.4f}")
