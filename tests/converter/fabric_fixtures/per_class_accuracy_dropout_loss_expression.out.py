# t2l-fixture: verify --steps 24
"""The classifier tutorial's per-class accuracy (counts in dicts built by comprehensions before the evaluation loop),
a network with dropout, input noise each batch, and backward called on the loss expression itself."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight)
        m.bias.data.fill_(0.01)


classes = ("plane", "car", "bird")
train_loader = DataLoader(TensorDataset(torch.randn(240, 10), torch.randint(0, 3, (240,))), batch_size=30, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
test_loader = DataLoader(TensorDataset(torch.randn(90, 10), torch.randint(0, 3, (90,))), batch_size=30)
test_loader = fabric.setup_dataloaders(test_loader)
net = nn.Sequential(nn.Linear(10, 24), nn.ReLU(), nn.Dropout(0.25), nn.Linear(24, 3))
net.apply(init_weights)
optimizer = torch.optim.RMSprop(net.parameters(), lr=1e-3)
net, optimizer = fabric.setup(net, optimizer)
criterion = nn.CrossEntropyLoss()

for epoch in range(3):
    net.train()
    for inputs, labels in train_loader:
        inputs = inputs + 0.1 * torch.randn_like(inputs)
        optimizer.zero_grad(set_to_none=True)
        fabric.backward(criterion(net(inputs), labels))
        fabric.clip_gradients(net, optimizer, clip_val=0.5)
        optimizer.step()

    net.eval()
    correct_pred = {classname: 0 for classname in classes}
    total_pred = {classname: 0 for classname in classes}
    with torch.no_grad():
        for inputs, labels in test_loader:
            _, predictions = torch.max(net(inputs), 1)
            for label, prediction in zip(labels, predictions):
                if label == prediction:
                    correct_pred[classes[label]] += 1
                total_pred[classes[label]] += 1
    for classname, correct_count in correct_pred.items():
        accuracy = 100 * float(correct_count) / total_pred[classname]
        fabric.print(f"epoch {epoch} accuracy for class {classname:5s} is {accuracy:.1f} %")

fabric.print("weights", sum(p.sum().item() for p in net.parameters()))
