import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

torch.manual_seed(0)
device = "cuda" if torch.cuda.is_available() else "cpu"
fabric = Fabric(accelerator=torch.device(device).type, devices=1, precision="16-mixed" if (device == "cuda") else "32-true")
fabric.launch()
use_amp = device == "cuda"
loader = DataLoader(TensorDataset(torch.randn(32, 6), torch.randn(32, 1)), batch_size=8, shuffle=True)
loader = fabric.setup_dataloaders(loader)
model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
model, optimizer = fabric.setup(model, optimizer)
for epoch in range(2):
    for x, y in loader:
        with fabric.autocast():
            loss = nn.functional.mse_loss(model(x), y)
        fabric.backward(loss)
        fabric.clip_gradients(model, optimizer, max_norm=0.5, error_if_nonfinite=False)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
