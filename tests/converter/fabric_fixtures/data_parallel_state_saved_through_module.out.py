# t2l-fixture: verify --steps 40
"""An older image-classification script: `nn.DataParallel` when several GPUs are there, the device chosen
by hand, cudnn.benchmark on, checkpoints saved from `model.module.state_dict()` when wrapped, a test pass each epoch."""
import torch
import torch.backends.cudnn as cudnn
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

device = "cuda" if torch.cuda.is_available() else "cpu"
fabric = Fabric(accelerator=torch.device(device).type, devices=1)
fabric.launch()
torch.manual_seed(0)
trainloader = DataLoader(TensorDataset(torch.randn(96, 3, 8, 8), torch.randint(0, 4, (96,))), batch_size=16, shuffle=True)
trainloader = fabric.setup_dataloaders(trainloader)
testloader = DataLoader(TensorDataset(torch.randn(32, 3, 8, 8), torch.randint(0, 4, (32,))), batch_size=16)
testloader = fabric.setup_dataloaders(testloader)
net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 4))
net = net.to(device)
if device == "cuda":
    cudnn.benchmark = True
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
net, optimizer = fabric.setup(net, optimizer)
scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=200)
best_acc = 0


def train(epoch):
    net.train()
    train_loss = correct = total = 0
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
    fabric.print(f"train {epoch}: loss {train_loss / (batch_idx + 1):.3f} acc {100.0 * correct / total:.2f}")


def test(epoch):
    global best_acc
    net.eval()
    correct = total = 0
    with torch.no_grad():
        for inputs, targets in testloader:
            inputs, targets = inputs.to(device), targets.to(device)
            outputs = net(inputs)
            correct += outputs.argmax(1).eq(targets).sum().item()
            total += targets.size(0)
    acc = 100.0 * correct / total
    if acc > best_acc:
        state = net.module.state_dict() if isinstance(net, nn.DataParallel) else net.state_dict()
        torch.save({"net": state, "acc": acc, "epoch": epoch}, "ckpt.pth")
        best_acc = acc
    fabric.print(f"test {epoch}: acc {acc:.2f} best {best_acc:.2f}")


for epoch in range(3):
    train(epoch)
    test(epoch)
    scheduler.step()
