# t2l-fixture: verify --steps 20
"""zero_grad(set_to_none=False) with a branch used only by some batches: its parameters keep zero gradients, and
AdamW's weight decay and moments still move them on the batches that skip the branch."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
x = torch.randn(64, 4)
y = torch.randn(64, 1)
loader = DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True)
loader = fabric.setup_dataloaders(loader)


class TwoBranch(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Linear(4, 1)
        self.extra = nn.Linear(4, 1)
        self.calls = 0

    def forward(self, x):
        out = self.main(x)
        self.calls += 1
        if self.calls % 2:
            out = out + self.extra(x)
        return out


model = TwoBranch()
optimizer = torch.optim.AdamW(model.parameters(), lr=0.01, weight_decay=0.1)
model, optimizer = fabric.setup(model, optimizer)
for epoch in range(3):
    for xb, yb in loader:
        optimizer.zero_grad(set_to_none=False)
        loss = nn.functional.mse_loss(model(xb), yb)
        fabric.backward(loss)
        optimizer.step()
fabric.print(model.extra.weight.sum().item())
