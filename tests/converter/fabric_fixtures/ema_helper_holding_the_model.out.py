# t2l-fixture: verify --steps 15
"""An EMA helper class that holds the model (`ema = EMA(model, decay)`), updated with no argument after each optimizer
step, its shadow weights swapped in for the evaluation at each epoch's end."""
import copy

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


class EMA:
    def __init__(self, model, decay):
        self.model, self.decay = model, decay
        self.shadow = {k: v.detach().clone() for k, v in model.state_dict().items()}

    @torch.no_grad()
    def update(self):
        for k, v in self.model.state_dict().items():
            self.shadow[k].mul_(self.decay).add_(v.detach(), alpha=1 - self.decay)

    def averaged(self):
        averaged = copy.deepcopy(self.model)
        averaged.load_state_dict(self.shadow)
        return averaged


torch.manual_seed(0)
model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
model, optimizer = fabric.setup(model, optimizer)
ema = EMA(model, decay=0.9)
train_loader = DataLoader(TensorDataset(torch.randn(40, 5), torch.randn(40, 1)), batch_size=8, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
val_x, val_y = torch.randn(16, 5), torch.randn(16, 1)
for epoch in range(3):
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        fabric.backward(loss)
        optimizer.step()
        ema.update()
    with torch.no_grad():
        val = nn.functional.mse_loss(ema.averaged()(val_x), val_y).item()
    fabric.print(f"epoch {epoch} ema val {val:.6f}")
