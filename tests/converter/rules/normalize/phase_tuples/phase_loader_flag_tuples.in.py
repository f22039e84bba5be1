import torch
from torch import nn

model = nn.Linear(4, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
train_loader = [(torch.randn(8, 4), torch.randint(0, 2, (8,))) for _ in range(4)]
val_loader = [(torch.randn(8, 4), torch.randint(0, 2, (8,))) for _ in range(2)]

for epoch in range(2):
    for phase, loader, training in [("train", train_loader, True), ("val", val_loader, False)]:
        model.train(training)
        total = 0.0
        with torch.set_grad_enabled(training):
            for x, y in loader:
                loss = nn.functional.cross_entropy(model(x), y)
                if training:
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
                total += loss.item()
        print(f"epoch {epoch} {phase}: {total / len(loader):.4f}")
