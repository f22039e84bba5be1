# t2l-fixture: verify --steps 40
"""The gradient norm clip_grad_norm_ returns, printed every few batches, with a OneCycleLR stepped after every
optimizer step and the learning rate printed beside it."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
loader = DataLoader(TensorDataset(torch.randn(64, 8), torch.randint(0, 4, (64,))), batch_size=8, shuffle=True)
loader = fabric.setup_dataloaders(loader)
model = nn.Sequential(nn.Linear(8, 32), nn.GELU(), nn.Linear(32, 4))
epochs = 3
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
model, optimizer = fabric.setup(model, optimizer)
scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=1e-2, total_steps=epochs * len(loader))
criterion = nn.CrossEntropyLoss()
for epoch in range(epochs):
    for step, (x, y) in enumerate(loader):
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        fabric.backward(loss)
        grad_norm = fabric.clip_gradients(model, optimizer, max_norm=1.0, error_if_nonfinite=False)
        optimizer.step()
        scheduler.step()
        if step % 4 == 0:
            fabric.print(f"epoch {epoch} step {step} loss {loss.item():.4f} grad_norm {grad_norm:.4f} lr {scheduler.get_last_lr()[0]:.6f}")
