# t2l-fixture: verify --steps 15
"""The CIFAR-10 tutorial shape: module-level nested epoch/batch loops, a running loss printed every N batches."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
trainset = TensorDataset(torch.randn(96, 3, 8, 8), torch.randint(0, 10, (96,)))
trainloader = DataLoader(trainset, batch_size=8, shuffle=True)
trainloader = fabric.setup_dataloaders(trainloader)
testloader = DataLoader(TensorDataset(torch.randn(32, 3, 8, 8), torch.randint(0, 10, (32,))), batch_size=8)
testloader = fabric.setup_dataloaders(testloader)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 3)
        self.fc1 = nn.Linear(6 * 6 * 6, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        return self.fc1(torch.flatten(x, 1))


net = Net()
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
net, optimizer = fabric.setup(net, optimizer)

for epoch in range(2):  # loop over the dataset multiple times

    running_loss = 0.0
    for i, data in enumerate(trainloader, 0):
        # get the inputs; data is a list of [inputs, labels]
        inputs, labels = data

        # zero the parameter gradients
        optimizer.zero_grad()

        # forward + backward + optimize
        outputs = net(inputs)
        loss = criterion(outputs, labels)
        fabric.backward(loss)
        optimizer.step()

        # print statistics
        running_loss += loss.item()
        if i % 4 == 3:    # print every 4 mini-batches
            fabric.print(f'[{epoch + 1}, {i + 1:5d}] loss: {running_loss / 4:.3f}')
            running_loss = 0.0

fabric.print('Finished Training')

correct = 0
total = 0
with torch.no_grad():
    for images, labels in testloader:
        outputs = net(images)
        _, predicted = torch.max(outputs.data, 1)
        total += labels.size(0)
        correct += (predicted == labels).sum().item()
fabric.print(f'Accuracy of the network on the test images: {100 * correct // total} %')
