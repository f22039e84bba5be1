# t2l-fixture: verify --steps 24
"""Fine-tuning with batch norm frozen, as detection and segmentation repos write it: `model.train()` at each epoch's
start, then `model.apply(set_bn_eval)` puts every BatchNorm back in eval mode (running statistics kept, dropout on)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


def set_bn_eval(m):
    classname = m.__class__.__name__
    if classname.find("BatchNorm") != -1:
        m.eval()


torch.manual_seed(0)
features = torch.randn(256, 10)
targets = features @ torch.randn(10, 1)
loader = DataLoader(TensorDataset(features, targets), batch_size=32, shuffle=True)
loader = fabric.setup_dataloaders(loader)
model = nn.Sequential(nn.Linear(10, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.1), nn.Linear(32, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model, optimizer = fabric.setup(model, optimizer)
criterion = nn.MSELoss()

for epoch in range(3):
    model.train()
    model.apply(set_bn_eval)
    for inputs, labels in loader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        fabric.backward(loss)
        optimizer.step()
    fabric.print(f"epoch {epoch}: last loss {loss.item():.5f}")
