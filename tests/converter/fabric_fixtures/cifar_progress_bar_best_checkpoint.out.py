# t2l-fixture: verify --steps 12
"""The shape of a popular CIFAR-10 script: train(epoch) / test(epoch) over module globals, a progress line per batch
that reads the running totals (in the evaluation too), the best accuracy saved after the evaluation loop, and the
epoch number inside a `%` format. Converted once to an evaluation whose totals were bare locals (a crash) and a
`"%d" % self.current_epoch + start` print (a TypeError), both after a clean exit."""
import os

import torch
import torch.nn as nn
import torch.optim as optim
from lightning_fabric import Fabric

torch.manual_seed(0)
device = "cuda" if torch.cuda.is_available() else "cpu"
fabric = Fabric(accelerator=torch.device(device).type, devices=1)
fabric.launch()
best_acc = 0
start_epoch = 0

x = torch.randn(256, 10)
y = (x.sum(1) > 0).long()
trainloader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=32, shuffle=True)
trainloader = fabric.setup_dataloaders(trainloader)
testloader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x[:64], y[:64]), batch_size=32)
testloader = fabric.setup_dataloaders(testloader)


def progress_bar(current, total, msg):
    fabric.print(f"[{current + 1}/{total}] {msg}")


net = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
net, optimizer = fabric.setup(net, optimizer)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=200)


def train(epoch):
    fabric.print("\nEpoch: %d" % epoch)
    net.train()
    train_loss = 0
    correct = 0
    total = 0
    for batch_idx, (inputs, targets) in enumerate(trainloader):
        inputs, targets = inputs.to(device), targets.to(device)
        optimizer.zero_grad()
        outputs = net(inputs)
        loss = criterion(outputs, targets)
        fabric.backward(loss)
        optimizer.step()

        train_loss += loss.item()
        _, predicted = outputs.max(1)
        total += targets.size(0)
        correct += predicted.eq(targets).sum().item()
        progress_bar(batch_idx, len(trainloader), "Loss: %.3f | Acc: %.3f%%" % (train_loss / (batch_idx + 1), 100.0 * correct / total))


def test(epoch):
    global best_acc
    net.eval()
    test_loss = 0
    correct = 0
    total = 0
    with torch.no_grad():
        for batch_idx, (inputs, targets) in enumerate(testloader):
            inputs, targets = inputs.to(device), targets.to(device)
            outputs = net(inputs)
            loss = criterion(outputs, targets)

            test_loss += loss.item()
            _, predicted = outputs.max(1)
            total += targets.size(0)
            correct += predicted.eq(targets).sum().item()
            progress_bar(batch_idx, len(testloader), "Loss: %.3f | Acc: %.3f%%" % (test_loss / (batch_idx + 1), 100.0 * correct / total))

    acc = 100.0 * correct / total
    if acc > best_acc:
        fabric.print("Saving..")
        state = {"net": net.state_dict(), "acc": acc, "epoch": epoch}
        if not os.path.isdir("checkpoint"):
            os.mkdir("checkpoint")
        torch.save(state, "./checkpoint/ckpt.pth")
        best_acc = acc


for epoch in range(start_epoch, start_epoch + 3):
    train(epoch)
    test(epoch)
    scheduler.step()
