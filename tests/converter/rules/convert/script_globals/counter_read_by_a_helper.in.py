import torch
from torch.utils.data import DataLoader, TensorDataset

global_step = 0
DECAY_STEPS = 10


def noise_scale():
    return max(0.0, 1.0 - global_step / DECAY_STEPS)


torch.manual_seed(0)
x = torch.randn(96, 4)
loader = DataLoader(TensorDataset(x, x.sum(1, keepdim=True)), batch_size=16, shuffle=True)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
for epoch in range(3):
    for xb, yb in loader:
        noisy = xb + noise_scale() * torch.randn_like(xb)
        loss = torch.nn.functional.mse_loss(model(noisy), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        global_step += 1
    print(f"epoch {epoch} loss {loss.item():.6f} noise {noise_scale():.2f}")
