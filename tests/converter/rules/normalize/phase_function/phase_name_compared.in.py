import torch
from torch import nn

model = nn.Linear(4, 1)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
loaders = {
    "train": [(torch.randn(8, 4), torch.randn(8, 1)) for _ in range(4)],
    "val": [(torch.randn(8, 4), torch.randn(8, 1)) for _ in range(2)],
}


def run(phase, optimizer):
    is_train = phase == "train"
    if is_train:
        model.train()
    else:
        model.eval()
    running = 0.0
    for x, y in loaders[phase]:
        with torch.set_grad_enabled(is_train):
            loss = nn.functional.mse_loss(model(x), y)
            if is_train:
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
        running += loss.item()
    print(f"{phase}: {running / len(loaders[phase]):.4f}" if not is_train else f"{phase} done")


for epoch in range(3):
    run("train", optimizer)
    run("val", optimizer)
