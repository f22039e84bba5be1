import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(10)
train_loader = DataLoader(TensorDataset(torch.randn(48, 5), torch.randn(48, 1)), batch_size=8, shuffle=True)
x_val, y_val = torch.randn(16, 5), torch.randn(16, 1)
model = nn.Sequential(nn.Linear(5, 20), nn.Tanh(), nn.Linear(20, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
print(model)
shadow = {name: p.detach().clone() for name, p in model.named_parameters()}

for epoch in range(3):
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            for name, p in model.named_parameters():
                shadow[name].mul_(0.9).add_(p.detach(), alpha=0.1)
    backup = {name: p.detach().clone() for name, p in model.named_parameters()}
    model.load_state_dict(shadow, strict=False)
    with torch.no_grad():
        print(f"epoch {epoch} ema val {nn.functional.mse_loss(model(x_val), y_val).item():.5f}")
    model.load_state_dict(backup, strict=False)
