# t2l-fixture: verify --steps 50
"""The "Training with PyTorch" tutorial shape: train_one_epoch(epoch_index, tb_writer) reporting every N batches
(`last_loss`, a TensorBoard x from the epoch index the caller passes: its own `epoch_number`, which the epoch hooks
keep), returning the last report; the caller validates inline, beside the call (`running_vloss` in the site's scope,
not the function's), averages by the loop's last index (`running_vloss / (i + 1)`: validation_step keeps `i`),
writes both to TensorBoard, saves the model on a better validation loss."""
from datetime import datetime

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torch.utils.tensorboard import SummaryWriter
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
X = torch.randn(240, 10)
Y = (X[:, :2].sum(1) > 0).long()
training_loader = DataLoader(TensorDataset(X[:160], Y[:160]), batch_size=8, shuffle=True)
training_loader = fabric.setup_dataloaders(training_loader)
validation_loader = DataLoader(TensorDataset(X[160:], Y[160:]), batch_size=8)
validation_loader = fabric.setup_dataloaders(validation_loader)
model = nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Linear(16, 2))
loss_fn = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model, optimizer = fabric.setup(model, optimizer)


def train_one_epoch(epoch_index, tb_writer):
    running_loss = 0.0
    last_loss = 0.0
    for i, data in enumerate(training_loader):
        inputs, labels = data
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = loss_fn(outputs, labels)
        fabric.backward(loss)
        optimizer.step()
        running_loss += loss.item()
        if i % 10 == 9:
            last_loss = running_loss / 10
            fabric.print("  batch {} loss: {}".format(i + 1, last_loss))
            tb_x = epoch_index * len(training_loader) + i + 1
            tb_writer.add_scalar("Loss/train", last_loss, tb_x)
            reports.append(tb_x)
            running_loss = 0.0
    return last_loss


timestamp = datetime.now().strftime("%Y%m%d_%H%M%S")
writer = SummaryWriter("runs/fashion_trainer_{}".format(timestamp))
epoch_number = 0
reports = []
EPOCHS = 3
best_vloss = 1_000_000.0
for epoch in range(EPOCHS):
    fabric.print("EPOCH {}:".format(epoch_number + 1))
    model.train(True)
    avg_loss = train_one_epoch(epoch_number, writer)
    running_vloss = 0.0
    model.eval()
    with torch.no_grad():
        for i, vdata in enumerate(validation_loader):
            vinputs, vlabels = vdata
            voutputs = model(vinputs)
            vloss = loss_fn(voutputs, vlabels)
            running_vloss += vloss
    avg_vloss = running_vloss / (i + 1)
    fabric.print("LOSS train {} valid {}".format(avg_loss, avg_vloss))
    writer.add_scalars("Training vs. Validation Loss", {"Training": avg_loss, "Validation": avg_vloss}, epoch_number + 1)
    writer.flush()
    if avg_vloss < best_vloss:
        best_vloss = avg_vloss
        model_path = "model_{}_{}".format(timestamp, epoch_number)
        torch.save(model.state_dict(), model_path)
    epoch_number += 1
fabric.print("best", float(best_vloss))
fabric.print("reports", reports)
