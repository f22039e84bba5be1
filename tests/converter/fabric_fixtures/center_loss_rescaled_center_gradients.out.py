# t2l-fixture: verify --steps 12
"""Center loss in the shape of its reference repository: the features also pulled to learned class centers, a second
optimizer for the centers whose gradients are rescaled by hand between backward and its step (undoing the loss
weight), the component losses printed every few batches."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


class CenterLoss(nn.Module):
    def __init__(self, num_classes=3, feat_dim=2):
        super().__init__()
        self.centers = nn.Parameter(torch.randn(num_classes, feat_dim))

    def forward(self, x, labels):
        return ((x - self.centers[labels]) ** 2).sum(1).mean() / 2


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Linear(4, 16), nn.PReLU(), nn.Linear(16, 2))
        self.classifier = nn.Linear(2, 3)

    def forward(self, x):
        f = self.features(x)
        return f, self.classifier(f)


torch.manual_seed(0)
x = torch.randn(240, 4)
y = torch.randint(0, 3, (240,))
x[torch.arange(240), y] += 2
trainloader = DataLoader(TensorDataset(x, y), batch_size=24, shuffle=True)
trainloader = fabric.setup_dataloaders(trainloader)
model = Net()
criterion_xent = nn.CrossEntropyLoss()
criterion_cent = CenterLoss()
optimizer_model = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
model, optimizer_model = fabric.setup(model, optimizer_model)
optimizer_centloss = torch.optim.SGD(criterion_cent.parameters(), lr=0.5)
criterion_cent, optimizer_centloss = fabric.setup(criterion_cent, optimizer_centloss)
weight_cent = 0.5

for epoch in range(3):
    model.train()
    for batch_idx, (data, labels) in enumerate(trainloader):
        features, outputs = model(data)
        loss_xent = criterion_xent(outputs, labels)
        loss_cent = criterion_cent(features, labels)
        loss_cent *= weight_cent
        loss = loss_xent + loss_cent
        optimizer_model.zero_grad()
        optimizer_centloss.zero_grad()
        fabric.backward(loss)
        optimizer_model.step()
        # remove the effect of weight_cent on the centers' update
        for param in criterion_cent.parameters():
            param.grad.data *= 1.0 / weight_cent
        optimizer_centloss.step()
        if (batch_idx + 1) % 5 == 0:
            fabric.print(f"Batch {batch_idx + 1}\t Loss {loss.item():.6f} XentLoss {loss_xent.item():.6f} CenterLoss {loss_cent.item():.6f}")
