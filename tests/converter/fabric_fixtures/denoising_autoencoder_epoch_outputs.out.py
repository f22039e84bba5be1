# t2l-fixture: verify --steps 20
"""A denoising autoencoder: the target is the clean input, noise drawn in the step; the labels are ignored."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
images = torch.rand(64, 1, 8, 8)
labels = torch.randint(0, 10, (64,))
loader = DataLoader(TensorDataset(images, labels), batch_size=16, shuffle=True)
loader = fabric.setup_dataloaders(loader)


class AutoEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Flatten(), nn.Linear(64, 16), nn.ReLU())
        self.decoder = nn.Sequential(nn.Linear(16, 64), nn.Sigmoid(), nn.Unflatten(1, (1, 8, 8)))

    def forward(self, x):
        return self.decoder(self.encoder(x))


model = AutoEncoder()
criterion = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2, weight_decay=1e-5)
model, optimizer = fabric.setup(model, optimizer)
outputs = []
for epoch in range(3):
    for img, _ in loader:
        noisy = torch.clamp(img + 0.2 * torch.randn_like(img), 0.0, 1.0)
        recon = model(noisy)
        loss = criterion(recon, img)
        optimizer.zero_grad()
        fabric.backward(loss)
        optimizer.step()
    fabric.print(f"Epoch:{epoch + 1}, Loss:{loss.item():.4f}")
    outputs.append((epoch, img, recon))
fabric.print("outputs", len(outputs), [round(recon.sum().item(), 4) for _, _, recon in outputs])
fabric.print(model.encoder[1].weight.sum().item())
