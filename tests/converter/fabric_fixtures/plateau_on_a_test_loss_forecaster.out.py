# t2l-fixture: verify --steps 12
"""A forecasting script's shape: sliding windows cut from one series, an LSTM, the test loss computed on the whole
held-out tensor each epoch (no loader) and handed to ReduceLROnPlateau, the learning rate printed after the step."""
import math

import numpy as np
import torch
import torch.nn as nn
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

np.random.seed(0)
torch.manual_seed(0)
series = np.sin(np.linspace(0, 20 * math.pi, 400)) + 0.1 * np.random.randn(400)
window = 12


def make_windows(data, window):
    xs, ys = [], []
    for i in range(len(data) - window):
        xs.append(data[i:i + window])
        ys.append(data[i + window])
    return torch.tensor(np.array(xs), dtype=torch.float32).unsqueeze(-1), torch.tensor(np.array(ys), dtype=torch.float32).unsqueeze(-1)


X, Y = make_windows(series, window)
split = int(len(X) * 0.8)
X_train, Y_train, X_test, Y_test = X[:split], Y[:split], X[split:], Y[split:]
train_ds = torch.utils.data.TensorDataset(X_train, Y_train)
train_dl = torch.utils.data.DataLoader(train_ds, batch_size=32, shuffle=True)
train_dl = fabric.setup_dataloaders(train_dl)


class LSTMForecaster(nn.Module):
    def __init__(self, hidden=16):
        super().__init__()
        self.lstm = nn.LSTM(1, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


model = LSTMForecaster()
loss_fn = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
model, optimizer = fabric.setup(model, optimizer)
scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=1)
train_losses, test_losses = [], []
for epoch in range(3):
    model.train()
    batch_losses = []
    for xb, yb in train_dl:
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        fabric.backward(loss)
        optimizer.step()
        batch_losses.append(loss.item())
    train_losses.append(np.mean(batch_losses))
    model.eval()
    with torch.no_grad():
        test_loss = loss_fn(model(X_test), Y_test).item()
    test_losses.append(test_loss)
    scheduler.step(test_loss)
    fabric.print(f"Epoch {epoch+1}: train {train_losses[-1]:.5f} test {test_loss:.5f} lr {optimizer.param_groups[0]['lr']}")
fabric.print("final test", test_losses[-1])
