import torch
from torch.utils.data import DataLoader, TensorDataset

model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.randn(16, 4), torch.randn(16, 1)), batch_size=4)
global_step = 0

for epoch in range(2):
    for step, (x, y) in enumerate(loader):
        loss = torch.nn.functional.mse_loss(model(x), y) / 2
        loss.backward()
        if (step + 1) % 2 == 0 or step + 1 == len(loader):
            optimizer.step()
            optimizer.zero_grad()
            global_step += 1
            if global_step % 3 == 0:
                torch.save(model.state_dict(), f"checkpoint-{global_step}.pt")
