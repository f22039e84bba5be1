# t2l-fixture: verify --steps 40
"""A GAN in the shape of yunjey's pytorch-tutorial: a reset_grad() helper that zeroes both optimizers, the
discriminator trained on real and fake with BCELoss, the generator after, progress printed every N steps."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from lightning_fabric import Fabric

fabric = Fabric(accelerator="cpu", devices=1)
fabric.launch()

torch.manual_seed(0)
latent_size, hidden_size, image_size = 8, 32, 16
num_epochs, batch_size = 3, 16
data = torch.tanh(torch.randn(256, image_size))
data_loader = DataLoader(TensorDataset(data), batch_size=batch_size, shuffle=True)
data_loader = fabric.setup_dataloaders(data_loader)

D = nn.Sequential(nn.Linear(image_size, hidden_size), nn.LeakyReLU(0.2), nn.Linear(hidden_size, hidden_size),
                  nn.LeakyReLU(0.2), nn.Linear(hidden_size, 1), nn.Sigmoid())
G = nn.Sequential(nn.Linear(latent_size, hidden_size), nn.ReLU(), nn.Linear(hidden_size, hidden_size), nn.ReLU(),
                  nn.Linear(hidden_size, image_size), nn.Tanh())
criterion = nn.BCELoss()
d_optimizer = torch.optim.Adam(D.parameters(), lr=0.0002)
D, d_optimizer = fabric.setup(D, d_optimizer)
g_optimizer = torch.optim.Adam(G.parameters(), lr=0.0002)
G, g_optimizer = fabric.setup(G, g_optimizer)


def reset_grad():
    d_optimizer.zero_grad()
    g_optimizer.zero_grad()


total_step = len(data_loader)
for epoch in range(num_epochs):
    for i, (images,) in enumerate(data_loader):
        real_labels = torch.ones(batch_size, 1)
        fake_labels = torch.zeros(batch_size, 1)

        outputs = D(images)
        d_loss_real = criterion(outputs, real_labels)
        real_score = outputs

        z = torch.randn(batch_size, latent_size)
        fake_images = G(z)
        outputs = D(fake_images)
        d_loss_fake = criterion(outputs, fake_labels)
        fake_score = outputs

        d_loss = d_loss_real + d_loss_fake
        reset_grad()
        fabric.backward(d_loss)
        d_optimizer.step()

        z = torch.randn(batch_size, latent_size)
        fake_images = G(z)
        outputs = D(fake_images)
        g_loss = criterion(outputs, real_labels)

        reset_grad()
        fabric.backward(g_loss)
        g_optimizer.step()

        if (i + 1) % 8 == 0:
            fabric.print("Epoch [{}/{}], Step [{}/{}], d_loss: {:.4f}, g_loss: {:.4f}, D(x): {:.2f}, D(G(z)): {:.2f}"
                  .format(epoch, num_epochs, i + 1, total_step, d_loss.item(), g_loss.item(),
                          real_score.mean().item(), fake_score.mean().item()))
torch.save(G.state_dict(), "G.ckpt")
torch.save(D.state_dict(), "D.ckpt")
