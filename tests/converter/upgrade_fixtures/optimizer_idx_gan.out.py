# t2l-fixture: run
"""Two optimizers with optimizer_idx in training_step -> manual optimization (T2L222)."""
import pytorch_lightning as pl
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


class GAN(pl.LightningModule):
    def __init__(self, latent=8):
        super().__init__()
        self.automatic_optimization = False  # t2l T2L222: one step per optimizer, by hand
        self.latent = latent
        self.generator = torch.nn.Sequential(torch.nn.Linear(latent, 16), torch.nn.ReLU(), torch.nn.Linear(16, 4))
        self.discriminator = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))

    def training_step(self, batch, batch_idx):
        (real,) = batch
        optimizer_0, optimizer_1 = self.optimizers()

        # optimizer_idx == 0
        self.toggle_optimizer(optimizer_0)
        z = torch.randn(len(real), self.latent, device=self.device)
        fake_logits = self.discriminator(self.generator(z))
        g_loss = F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))
        self.log("g_loss", g_loss)
        self.manual_backward(g_loss)
        optimizer_0.step()
        optimizer_0.zero_grad()
        self.untoggle_optimizer(optimizer_0)

        # optimizer_idx == 1
        self.toggle_optimizer(optimizer_1)
        z = torch.randn(len(real), self.latent, device=self.device)
        real_logits = self.discriminator(real)
        fake_logits = self.discriminator(self.generator(z).detach())
        d_loss = F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits)) + \
                F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
        self.log("d_loss", d_loss)
        self.manual_backward(d_loss)
        optimizer_1.step()
        optimizer_1.zero_grad()
        self.untoggle_optimizer(optimizer_1)

    def on_before_optimizer_step(self, optimizer):
        pass

    def configure_optimizers(self):
        g = torch.optim.Adam(self.generator.parameters(), lr=2e-4)
        d = torch.optim.Adam(self.discriminator.parameters(), lr=2e-4)
        return [g, d], []


data = DataLoader(TensorDataset(torch.randn(64, 4)), batch_size=16)
model = GAN()
trainer = pl.Trainer(max_epochs=2, logger=False)
trainer.fit(model, data)
print("steps:", trainer.global_step, {k: round(float(v), 4) for k, v in trainer.callback_metrics.items()})
assert trainer.global_step == 16  # 2 epochs x 4 batches x 2 optimizers
