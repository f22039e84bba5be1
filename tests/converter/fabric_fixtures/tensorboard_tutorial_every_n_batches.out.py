# t2l-fixture: verify --steps 32
"""The TensorBoard tutorial's loop: every N mini-batches the running loss is written with the global step
`epoch * len(trainloader) + i`, with a figure of the model's predictions on the current batch, then reset."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.tensorboard import SummaryWriter
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
trainloader = DataLoader(TensorDataset(torch.randn(64, 8), torch.randint(0, 3, (64,))), batch_size=4, shuffle=True)
trainloader = fabric.setup_dataloaders(trainloader)
net = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
net, optimizer = fabric.setup(net, optimizer)
writer = SummaryWriter("runs/tutorial")


def images_to_probs(net, images):
    output = net(images)
    _, preds_tensor = torch.max(output, 1)
    return preds_tensor.tolist(), [F.softmax(el, dim=0)[i].item() for i, el in zip(preds_tensor.tolist(), output)]


running_loss = 0.0
for epoch in range(2):
    for i, data in enumerate(trainloader, 0):
        inputs, labels = data
        optimizer.zero_grad()
        outputs = net(inputs)
        loss = criterion(outputs, labels)
        fabric.backward(loss)
        optimizer.step()
        running_loss += loss.item()
        if i % 5 == 4:
            writer.add_scalar("training loss", running_loss / 5, epoch * len(trainloader) + i)
            preds, probs = images_to_probs(net, inputs)
            fabric.print(f"[{epoch + 1}, {i + 1:5d}] loss: {running_loss / 5:.3f} first prob {probs[0]:.5f}")
            running_loss = 0.0
writer.close()
fabric.print("Finished Training")
