# t2l-fixture: verify --steps 27
"""Fine-tuning shape: train_epoch / eval_model functions returning (accuracy, mean loss), a warmup schedule stepped
every batch inside the train function, gradient clipping, a history dict, the best weights saved."""
from collections import defaultdict

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

torch.manual_seed(7)
EPOCHS = 3
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
fabric = Fabric(accelerator=device.type, devices=1)
fabric.launch()
X = torch.randn(180, 16)
y = (X[:, :4].sum(1) > 0).long()
train_data_loader = DataLoader(TensorDataset(X[:144], y[:144]), batch_size=16, shuffle=True)
train_data_loader = fabric.setup_dataloaders(train_data_loader)
val_data_loader = DataLoader(TensorDataset(X[144:], y[144:]), batch_size=16)
val_data_loader = fabric.setup_dataloaders(val_data_loader)


class SentimentClassifier(nn.Module):
    def __init__(self, n_classes):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(16, 32), nn.GELU())
        self.drop = nn.Dropout(p=0.3)
        self.out = nn.Linear(32, n_classes)

    def forward(self, inputs):
        return self.out(self.drop(self.body(inputs)))


model = SentimentClassifier(2)
optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3)
model, optimizer = fabric.setup(model, optimizer)
total_steps = len(train_data_loader) * EPOCHS
warmup = 5
scheduler = torch.optim.lr_scheduler.LambdaLR(
    optimizer, lambda step: min(1.0, (step + 1) / warmup) * max(0.0, (total_steps - step) / total_steps))
loss_fn = nn.CrossEntropyLoss().to(device)


def train_epoch(model, data_loader, loss_fn, optimizer, device, scheduler, n_examples):
    model = model.train()
    losses = []
    correct_predictions = 0
    for inputs, targets in data_loader:
        inputs, targets = inputs.to(device), targets.to(device)
        outputs = model(inputs)
        _, preds = torch.max(outputs, dim=1)
        loss = loss_fn(outputs, targets)
        correct_predictions += torch.sum(preds == targets)
        losses.append(loss.item())
        fabric.backward(loss)
        fabric.clip_gradients(model, optimizer, max_norm=1.0, error_if_nonfinite=False)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
    return correct_predictions.double() / n_examples, np.mean(losses)


def eval_model(model, data_loader, loss_fn, device, n_examples):
    model = model.eval()
    losses = []
    correct_predictions = 0
    with torch.no_grad():
        for inputs, targets in data_loader:
            inputs, targets = inputs.to(device), targets.to(device)
            outputs = model(inputs)
            _, preds = torch.max(outputs, dim=1)
            loss = loss_fn(outputs, targets)
            correct_predictions += torch.sum(preds == targets)
            losses.append(loss.item())
    return correct_predictions.double() / n_examples, np.mean(losses)


history = defaultdict(list)
best_accuracy = 0
for epoch in range(EPOCHS):
    fabric.print(f"Epoch {epoch + 1}/{EPOCHS}")
    fabric.print("-" * 10)
    train_acc, train_loss = train_epoch(model, train_data_loader, loss_fn, optimizer, device, scheduler, 144)
    fabric.print(f"Train loss {train_loss} accuracy {train_acc}")
    val_acc, val_loss = eval_model(model, val_data_loader, loss_fn, device, 36)
    fabric.print(f"Val   loss {val_loss} accuracy {val_acc}")
    fabric.print()
    history["train_acc"].append(train_acc)
    history["train_loss"].append(train_loss)
    history["val_acc"].append(val_acc)
    history["val_loss"].append(val_loss)
    if val_acc > best_accuracy:
        torch.save(model.state_dict(), "best_model_state.bin")
        best_accuracy = val_acc
fabric.print("best", best_accuracy, len(history["val_loss"]))
