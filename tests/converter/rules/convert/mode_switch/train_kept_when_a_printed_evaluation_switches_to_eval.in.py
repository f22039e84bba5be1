import torch
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(0)
train = DataLoader(TensorDataset(torch.randn(32, 6), torch.randint(0, 3, (32,))), batch_size=8, shuffle=True)
val_x, val_y = torch.randn(20, 6), torch.randint(0, 3, (20,))
model = torch.nn.Sequential(torch.nn.Linear(6, 24), torch.nn.Dropout(0.3), torch.nn.Linear(24, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
head_optimizer = torch.optim.SGD(model[2].parameters(), lr=1e-2)


def evaluate(net):
    net.eval()
    with torch.no_grad():
        return (net(val_x).argmax(1) == val_y).float().mean().item()


for epoch in range(3):
    for i, (x, y) in enumerate(train):
        model.train()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        head_loss = model(x).pow(2).mean()
        head_optimizer.zero_grad()
        head_loss.backward()
        head_optimizer.step()
        if i % 3 == 0:
            print(f"epoch {epoch} step {i}: val acc {evaluate(model):.3f}")
