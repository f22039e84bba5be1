import copy

import torch
from torch import nn

model = nn.Linear(4, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loaders = {"train": [(torch.randn(8, 4), torch.randint(0, 2, (8,))) for _ in range(4)],
           "val": [(torch.randn(8, 4), torch.randint(0, 2, (8,))) for _ in range(2)]}
best_acc, best_weights = 0.0, copy.deepcopy(model.state_dict())

for epoch in range(3):
    for phase in ["train", "val"]:
        model.train() if phase == "train" else model.eval()
        correct = 0
        for x, y in loaders[phase]:
            with torch.set_grad_enabled(phase == "train"):
                out = model(x)
                loss = nn.functional.cross_entropy(out, y)
                if phase == "train":
                    optimizer.zero_grad()
                    loss.backward()
                    optimizer.step()
            correct += (out.argmax(1) == y).sum().item()
        acc = correct / (8 * len(loaders[phase]))
        print(f"{phase} accuracy {acc:.3f}")
        if phase == "val" and acc > best_acc:
            best_acc, best_weights = acc, copy.deepcopy(model.state_dict())

model.load_state_dict(best_weights)
