# t2l-fixture: run -- --epochs 2 --checkpoint-every 1
"""A realistic Lightning 1.x training script, the kind found in 2021-era tutorials and books: a small GAN.

It uses gpus=-1, precision=16, profiler=True, resume_from_checkpoint, training_epoch_end, two optimizers
selected by optimizer_idx, and ModelCheckpoint(period=...): all removed or changed in Lightning 2.0.
`t2l upgrade legacy_gan_script.py --write` turns it into a script that runs on 2.x.
"""
import argparse

import pytorch_lightning as pl
import torch
import torch.nn as nn
import torch.nn.functional as F
from pytorch_lightning.callbacks import ModelCheckpoint
from torch.utils.data import DataLoader, TensorDataset


class Generator(nn.Module):
    def __init__(self, latent_dim, image_size=28 * 28):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(latent_dim, 128), nn.LeakyReLU(0.2), nn.Linear(128, image_size), nn.Tanh())

    def forward(self, z):
        return self.net(z)


class Discriminator(nn.Module):
    def __init__(self, image_size=28 * 28):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(image_size, 128), nn.LeakyReLU(0.2), nn.Linear(128, 1))

    def forward(self, x):
        return self.net(x)


class GAN(pl.LightningModule):
    def __init__(self, latent_dim=32, lr=2e-4):
        super().__init__()
        self.save_hyperparameters()
        self.generator = Generator(latent_dim)
        self.discriminator = Discriminator()

    def forward(self, z):
        return self.generator(z)

    def training_step(self, batch, batch_idx, optimizer_idx):
        images, _ = batch
        images = images.view(len(images), -1)
        z = torch.randn(len(images), self.hparams.latent_dim, device=self.device)

        # train the generator: make the discriminator call fakes real
        if optimizer_idx == 0:
            logits = self.discriminator(self(z))
            g_loss = F.binary_cross_entropy_with_logits(logits, torch.ones_like(logits))
            self.log("g_loss", g_loss, prog_bar=True)
            return g_loss

        # train the discriminator: real -> 1, fake -> 0
        if optimizer_idx == 1:
            real = self.discriminator(images)
            fake = self.discriminator(self(z).detach())
            d_loss = (F.binary_cross_entropy_with_logits(real, torch.ones_like(real))
                      + F.binary_cross_entropy_with_logits(fake, torch.zeros_like(fake))) / 2
            self.log("d_loss", d_loss, prog_bar=True)
            return d_loss

    def training_epoch_end(self, outputs):
        g_mean = torch.stack([o["loss"] for o in outputs[0]]).mean()
        d_mean = torch.stack([o["loss"] for o in outputs[1]]).mean()
        self.log("epoch_g_loss", g_mean)
        self.log("epoch_d_loss", d_mean)

    def configure_optimizers(self):
        lr = self.hparams.lr
        opt_g = torch.optim.Adam(self.generator.parameters(), lr=lr, betas=(0.5, 0.999))
        opt_d = torch.optim.Adam(self.discriminator.parameters(), lr=lr, betas=(0.5, 0.999))
        return [opt_g, opt_d], []


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--checkpoint-every", type=int, default=10)
    parser.add_argument("--resume", default=None, help="a checkpoint to continue from")
    args = parser.parse_args()

    pl.seed_everything(0)
    images = torch.rand(256, 1, 28, 28) * 2 - 1  # stands in for MNIST scaled to [-1, 1]
    loader = DataLoader(TensorDataset(images, torch.zeros(256)), batch_size=64, shuffle=True)

    checkpoint = ModelCheckpoint(dirpath="gan_checkpoints", period=args.checkpoint_every, save_last=True)
    trainer = pl.Trainer(
        gpus=-1,
        precision=16,
        max_epochs=args.epochs,
        profiler=True,
        callbacks=[checkpoint],
        resume_from_checkpoint=args.resume,
    )
    trainer.fit(GAN(), loader)
    print("finished at epoch", trainer.current_epoch, "checkpoint", checkpoint.last_model_path)


if __name__ == "__main__":
    main()
