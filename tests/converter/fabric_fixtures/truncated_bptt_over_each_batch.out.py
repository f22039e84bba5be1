# t2l-fixture: verify --steps 30
"""Truncated backpropagation through time in a time-series repository's shape: each batch of long sequences is cut
into windows of `bptt` steps, the LSTM state carried from one window to the next but detached, an optimizer step
per window."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
n_series, length, n_features = 96, 60, 3
signal = torch.sin(torch.linspace(0, 12, length)).repeat(n_series, 1).unsqueeze(-1)
series = signal + 0.1 * torch.randn(n_series, length, n_features)
future = series[:, 1:, :1]  # next step of the first feature
train_loader = DataLoader(TensorDataset(series[:, :-1], future), batch_size=16, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)


class Forecaster(nn.Module):
    def __init__(self, hidden=24):
        super().__init__()
        self.lstm = nn.LSTM(n_features, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x, state=None):
        out, state = self.lstm(x, state)  # out: (batch, window, hidden)
        return self.head(out), state


model = Forecaster()
optimizer = torch.optim.Adam(model.parameters(), lr=5e-3)
model, optimizer = fabric.setup(model, optimizer)
criterion = nn.MSELoss()
bptt = 15

for epoch in range(2):
    model.train()
    epoch_loss, windows = 0.0, 0
    for batch_idx, (inputs, targets) in enumerate(train_loader):
        state = None
        for start in range(0, inputs.size(1), bptt):
            window = inputs[:, start : start + bptt]
            prediction, state = model(window, state)
            state = tuple(s.detach() for s in state)  # truncate: no gradient into the previous window
            loss = criterion(prediction, targets[:, start : start + bptt])
            optimizer.zero_grad()
            fabric.backward(loss)
            fabric.clip_gradients(model, optimizer, max_norm=0.5, error_if_nonfinite=False)
            optimizer.step()
            epoch_loss += loss.item()
            windows += 1
    fabric.print(f"epoch {epoch}: mean window loss {epoch_loss / windows:.5f}")
