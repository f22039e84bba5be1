import torch
import torch.nn as nn
import pytorch_lightning as pl
from torch.utils.data import DataLoader, TensorDataset


class GAN(pl.LightningModule):
    def __init__(self, latent_dim=4, lr=2e-3):
        super().__init__()
        self.save_hyperparameters()
        self.generator = nn.Sequential(nn.Linear(latent_dim, 16), nn.ReLU(), nn.Linear(16, 8))
        self.discriminator = nn.Sequential(nn.Linear(8, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))

    def forward(self, z):
        return self.generator(z)

    def training_step(self, batch, batch_idx, optimizer_idx):
        (real,) = batch
        z = torch.randn(real.size(0), self.hparams.latent_dim)
        if optimizer_idx == 0:
            fake = self(z)
            g_loss = nn.functional.binary_cross_entropy_with_logits(self.discriminator(fake), torch.ones(real.size(0), 1))
            self.log("g_loss", g_loss, prog_bar=True)
            return {"loss": g_loss}
        if optimizer_idx == 1:
            real_loss = nn.functional.binary_cross_entropy_with_logits(self.discriminator(real), torch.ones(real.size(0), 1))
            fake_loss = nn.functional.binary_cross_entropy_with_logits(self.discriminator(self(z).detach()), torch.zeros(real.size(0), 1))
            d_loss = (real_loss + fake_loss) / 2
            self.log("d_loss", d_loss, prog_bar=True)
            return {"loss": d_loss}

    def training_epoch_end(self, outputs):
        g_losses = [o["loss"] for o in outputs[0]]
        print("epoch", self.current_epoch, "mean g loss", torch.stack(g_losses).mean().item() > -1)

    def configure_optimizers(self):
        opt_g = torch.optim.Adam(self.generator.parameters(), lr=self.hparams.lr)
        opt_d = torch.optim.Adam(self.discriminator.parameters(), lr=self.hparams.lr)
        return ({"optimizer": opt_g, "frequency": 1}, {"optimizer": opt_d, "frequency": 2})

    def optimizer_step(self, epoch, batch_idx, optimizer, optimizer_idx, optimizer_closure, on_tpu=False,
                       using_native_amp=False, using_lbfgs=False):
        if self.trainer.global_step < 10:
            scale = min(1.0, float(self.trainer.global_step + 1) / 10)
            for pg in optimizer.param_groups:
                pg["lr"] = scale * self.hparams.lr
        optimizer.step(closure=optimizer_closure)

