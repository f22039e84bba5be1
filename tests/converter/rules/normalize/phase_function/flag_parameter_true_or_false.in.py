import torch
from torch import nn

model = nn.Linear(4, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
train_loader = [(torch.randn(8, 4), torch.randint(0, 2, (8,))) for _ in range(4)]
val_loader = [(torch.randn(8, 4), torch.randint(0, 2, (8,))) for _ in range(2)]


def run_epoch(loader, train=True):
    model.train(train)
    total = 0.0
    with torch.set_grad_enabled(train):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            if train:
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            total += loss.item()
    return total / len(loader)


for epoch in range(2):
    train_loss = run_epoch(train_loader)
    val_loss = run_epoch(val_loader, train=False)
    print(f"epoch {epoch}: train {train_loss:.4f} val {val_loss:.4f}")
