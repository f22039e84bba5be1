# t2l-fixture: verify --steps 30
"""An autoencoder: after each epoch, decode random latents (torch.randn), then evaluate on a shuffled test loader."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(3)
train_loader = DataLoader(TensorDataset(torch.rand(48, 8)), batch_size=12, shuffle=True)
train_loader = fabric.setup_dataloaders(train_loader)
test_loader = DataLoader(TensorDataset(torch.rand(24, 8)), batch_size=12, shuffle=True)
test_loader = fabric.setup_dataloaders(test_loader)
encoder = nn.Sequential(nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
decoder = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 8), nn.Sigmoid())
params = list(encoder.parameters()) + list(decoder.parameters())
optimizer = torch.optim.Adam(params, lr=1e-2)
encoder = fabric.setup_module(encoder)
decoder = fabric.setup_module(decoder)
optimizer = fabric.setup_optimizers(optimizer)
for epoch in range(3):
    encoder.train()
    decoder.train()
    for (x,) in train_loader:
        noisy = x + 0.05 * torch.randn_like(x)
        loss = nn.functional.mse_loss(decoder(encoder(noisy)), x)
        optimizer.zero_grad()
        fabric.backward(loss)
        optimizer.step()
    encoder.eval()
    decoder.eval()
    with torch.no_grad():
        samples = decoder(torch.randn(4, 2))
        test_loss = 0.0
        for i, (x,) in enumerate(test_loader):
            test_loss += nn.functional.mse_loss(decoder(encoder(x)), x).item()
            if i == 0:
                first = x[0, 0].item()
    fabric.print(f"epoch {epoch} train {loss.item():.4f} test {test_loss / len(test_loader):.4f} sample {samples.mean():.4f} first {first:.4f}")
