import torch
import torch.nn as nn
import pytorch_lightning as pl
from torch.utils.data import DataLoader, TensorDataset


class GAN(pl.LightningModule):
    def __init__(self, latent_dim=4, lr=2e-3):
        super().__init__()
        self.automatic_optimization = False  # t2l T2L222: one step per optimizer, by hand
        self.training_step_outputs = [[] for _ in range(2)]
        self.save_hyperparameters()
        self.generator = nn.Sequential(nn.Linear(latent_dim, 16), nn.ReLU(), nn.Linear(16, 8))
        self.discriminator = nn.Sequential(nn.Linear(8, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))

    def forward(self, z):
        return self.generator(z)

    def training_step(self, batch, batch_idx):
        (real,) = batch
        optimizer_0, optimizer_1 = self.optimizers()

        # optimizer_idx == 0
        self.toggle_optimizer(optimizer_0)
        z = torch.randn(real.size(0), self.hparams.latent_dim)
        fake = self(z)
        g_loss = nn.functional.binary_cross_entropy_with_logits(self.discriminator(fake), torch.ones(real.size(0), 1))
        self.log("g_loss", g_loss, prog_bar=True)
        self.manual_backward(g_loss)
        optimizer_0.step()
        optimizer_0.zero_grad()
        self.untoggle_optimizer(optimizer_0)
        self.training_step_outputs[0].append({"loss": g_loss.detach()})

        # optimizer_idx == 1
        self.toggle_optimizer(optimizer_1)
        z = torch.randn(real.size(0), self.hparams.latent_dim)
        real_loss = nn.functional.binary_cross_entropy_with_logits(self.discriminator(real), torch.ones(real.size(0), 1))
        fake_loss = nn.functional.binary_cross_entropy_with_logits(self.discriminator(self(z).detach()), torch.zeros(real.size(0), 1))
        d_loss = (real_loss + fake_loss) / 2
        self.log("d_loss", d_loss, prog_bar=True)
        self.manual_backward(d_loss)
        optimizer_1.step()
        optimizer_1.zero_grad()
        self.untoggle_optimizer(optimizer_1)
        self.training_step_outputs[1].append({"loss": d_loss.detach()})

    def on_train_epoch_end(self):
        outputs = self.training_step_outputs  # one list per optimizer, as 1.x passed them
        self.training_step_outputs = [[] for _ in range(2)]
        g_losses = [o["loss"] for o in outputs[0]]
        print("epoch", self.current_epoch, "mean g loss", torch.stack(g_losses).mean().item() > -1)

    def configure_optimizers(self):
        opt_g = torch.optim.Adam(self.generator.parameters(), lr=self.hparams.lr)
        opt_d = torch.optim.Adam(self.discriminator.parameters(), lr=self.hparams.lr)
        # TODO(t2l): T2L954 1.x ran one optimizer a batch, taking turns by their `frequency` (runs of batches each); 2.x ignores the key, and the upgraded training_step steps every optimizer each batch: run each branch only on its turn (`if batch_idx % total < frequency:`)
        return ({"optimizer": opt_g, "frequency": 1}, {"optimizer": opt_d, "frequency": 2})

    # TODO(t2l): T2L954 2.x does not call optimizer_step under manual optimization: what it does (a learning-rate warm-up?) no longer runs; do it in training_step around each optimizer's step
    def optimizer_step(self, epoch, batch_idx, optimizer, optimizer_closure, on_tpu=False,
                       using_native_amp=False, using_lbfgs=False):
        if self.trainer.global_step < 10:
            scale = min(1.0, float(self.trainer.global_step + 1) / 10)
            for pg in optimizer.param_groups:
                pg["lr"] = scale * self.hparams.lr
        optimizer.step(closure=optimizer_closure)

