# t2l-fixture: verify --steps 10
"""The quickstart's train_loop / test_loop functions with Weights & Biases: `wandb.init` with a config, the batch
loss and a sample count logged every batch, gradients clipped, the test loss logged once an epoch."""
import torch
import torch.nn as nn
import wandb
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()


def train_loop(dataloader, model, loss_fn, optimizer, epoch):
    model.train()
    for batch, (X, y) in enumerate(dataloader):
        pred = model(X)
        loss = loss_fn(pred, y)
        fabric.backward(loss)
        fabric.clip_gradients(model, optimizer, max_norm=1.0, error_if_nonfinite=False)
        optimizer.step()
        optimizer.zero_grad()
        wandb.log({"train_loss": loss.item(), "samples": epoch * len(dataloader.dataset) + (batch + 1) * len(X)})


def test_loop(dataloader, model, loss_fn):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for X, y in dataloader:
            total += loss_fn(model(X), y).item()
    return total / len(dataloader)


config = {"lr": 1e-2, "epochs": 3, "batch_size": 16}
wandb.init(project="quickstart", config=config)
train_dl = DataLoader(TensorDataset(torch.randn(64, 6), torch.randn(64, 1)), batch_size=config["batch_size"], shuffle=True)
train_dl = fabric.setup_dataloaders(train_dl)
test_dl = DataLoader(TensorDataset(torch.randn(32, 6), torch.randn(32, 1)), batch_size=config["batch_size"])
test_dl = fabric.setup_dataloaders(test_dl)
model = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 1))
wandb.watch(model)
optimizer = torch.optim.Adam(model.parameters(), lr=config["lr"])
model, optimizer = fabric.setup(model, optimizer)
loss_fn = nn.MSELoss()
for epoch in range(config["epochs"]):
    train_loop(train_dl, model, loss_fn, optimizer, epoch)
    test_loss = test_loop(test_dl, model, loss_fn)
    wandb.log({"test_loss": test_loss, "epoch": epoch})
wandb.finish()
