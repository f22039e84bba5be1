# t2l-fixture: verify --steps 30
"""Fine-tuning with a frozen backbone: requires_grad off, the optimizer over the trainable parameters only, param groups."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
x = torch.randn(80, 8)
y = torch.randint(0, 4, (80,))
loader = DataLoader(TensorDataset(x, y), batch_size=10, shuffle=True)
loader = fabric.setup_dataloaders(loader)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(8, 16), nn.BatchNorm1d(16), nn.ReLU())
        self.neck = nn.Linear(16, 16)
        self.head = nn.Linear(16, 4)

    def forward(self, x):
        return self.head(torch.relu(self.neck(self.backbone(x))))


model = Net()
for p in model.backbone.parameters():
    p.requires_grad = False
optimizer = torch.optim.SGD([
    {"params": model.neck.parameters(), "lr": 0.01},
    {"params": model.head.parameters()},
], lr=0.1, momentum=0.9)
optimizer = fabric.setup_optimizers(optimizer)
scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[1, 2], gamma=0.5)
for epoch in range(3):
    model.train()
    model.backbone.eval()
    for inputs, labels in loader:
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(inputs), labels)
        fabric.backward(loss)
        optimizer.step()
    scheduler.step()
    fabric.print(epoch, loss.item(), scheduler.get_last_lr())
fabric.print(model.head.weight.sum().item(), model.backbone[1].running_mean.sum().item())
