# t2l-fixture: run
"""An anomaly-detection GAN in the GANomaly shape (T2L222): one forward pass before the optimizer_idx branches
feeds both, `if optimizer_idx == 0: ... else: ...` each assign `loss`, and a dict is returned after them.
1.x ran the whole step once per optimizer, so the generator's branch saw the discriminator it had just stepped;
run once, the forward's graph is freed by the first backward and the second one fails."""
import pytorch_lightning as pl
import torch
import torch.nn.functional as F

from tiny import loader


class Ganomaly(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.generator = torch.nn.Linear(4, 4)
        self.discriminator = torch.nn.Linear(4, 1)

    def training_step(self, batch, _, optimizer_idx):
        # forward pass
        real, _ = batch
        fake = self.generator(real)
        pred_real = self.discriminator(real)

        if optimizer_idx == 0:  # Discriminator
            pred_fake = self.discriminator(fake.detach())
            loss = F.softplus(-pred_real).mean() + F.softplus(pred_fake).mean()
        else:  # Generator
            pred_fake = self.discriminator(fake)
            loss = F.mse_loss(fake, real) + (pred_real - pred_fake).pow(2).mean()
        return {"loss": loss}

    def configure_optimizers(self):
        optimizer_d = torch.optim.Adam(self.discriminator.parameters(), lr=1e-3)
        optimizer_g = torch.optim.Adam(self.generator.parameters(), lr=1e-3)
        return [optimizer_d, optimizer_g]


torch.manual_seed(0)
model = Ganomaly()
before = [p.detach().clone() for p in model.parameters()]
trainer = pl.Trainer(max_epochs=1, logger=False, enable_checkpointing=False)
trainer.fit(model, loader())
assert all(not torch.equal(b, p) for b, p in zip(before, model.parameters())), "both networks are trained"
