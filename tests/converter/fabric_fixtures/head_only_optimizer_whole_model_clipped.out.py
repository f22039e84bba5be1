# t2l-fixture: verify --steps 30
"""Fine-tuning the head only: the optimizer takes model.head's parameters, the backbone still requires grad,
model.zero_grad() each batch, and the gradient norm clipped over all of model.parameters()."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(48, 6), torch.randint(0, 3, (48,))), batch_size=8, shuffle=True)
loader = fabric.setup_dataloaders(loader)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = nn.Sequential(nn.Linear(6, 16), nn.ReLU())
        self.head = nn.Linear(16, 3)

    def forward(self, x):
        return self.head(self.backbone(x))


model = Net()
optimizer = torch.optim.SGD(model.head.parameters(), lr=0.5)
model.head, optimizer = fabric.setup(model.head, optimizer)
criterion = nn.CrossEntropyLoss()
for epoch in range(3):
    for x, y in loader:
        model.zero_grad()
        loss = criterion(model(x), y)
        fabric.backward(loss)
        nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        optimizer.step()
    fabric.print(f"epoch {epoch} loss {loss.item():.5f}")
