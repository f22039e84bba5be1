# t2l-fixture: run
"""The VQGAN training shape (taming-transformers style, 1.x): one shared forward, then `if optimizer_idx == 0:
... return aeloss` / `if optimizer_idx == 1: ... return discloss`, where `optimizer_idx` is also passed on to a loss
module that holds the discriminator and picks its branch by it; `configure_optimizers` returns
`[opt_ae, opt_disc], []`. 2.x refuses to train it as written; after one pass it trains both optimizers."""
import pytorch_lightning as pl
import torch
import torch.nn.functional as F

from tiny import loader


class HingeWithDiscriminator(torch.nn.Module):
    def __init__(self, disc_start=0, disc_weight=0.5):
        super().__init__()
        self.discriminator = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.LeakyReLU(0.2), torch.nn.Linear(8, 1))
        self.disc_start, self.disc_weight = disc_start, disc_weight

    def forward(self, codebook_loss, inputs, reconstructions, optimizer_idx, global_step, split="train"):
        factor = 1.0 if global_step >= self.disc_start else 0.0
        if optimizer_idx == 0:  # the autoencoder: reconstruction + codebook + fooling the discriminator
            rec_loss = (inputs - reconstructions).abs().mean()
            g_loss = -self.discriminator(reconstructions).mean()
            loss = rec_loss + codebook_loss + factor * self.disc_weight * g_loss
            return loss, {f"{split}/rec_loss": rec_loss.detach(), f"{split}/g_loss": g_loss.detach()}
        if optimizer_idx == 1:  # the discriminator: hinge loss on real vs reconstructed
            logits_real = self.discriminator(inputs.detach())
            logits_fake = self.discriminator(reconstructions.detach())
            d_loss = factor * 0.5 * (F.relu(1.0 - logits_real).mean() + F.relu(1.0 + logits_fake).mean())
            return d_loss, {f"{split}/d_loss": d_loss.detach()}


class VQModel(pl.LightningModule):
    def __init__(self, lr=1e-3):
        super().__init__()
        self.lr = lr
        self.encoder = torch.nn.Linear(4, 3)
        self.decoder = torch.nn.Linear(3, 4)
        self.codebook = torch.nn.Parameter(torch.randn(6, 3))
        self.loss = HingeWithDiscriminator()

    def quantize(self, h):
        nearest = torch.cdist(h, self.codebook).argmin(dim=1)
        quant = self.codebook[nearest]
        codebook_loss = F.mse_loss(quant, h.detach()) + 0.25 * F.mse_loss(h, quant.detach())
        return h + (quant - h).detach(), codebook_loss

    def forward(self, x):
        quant, codebook_loss = self.quantize(self.encoder(x))
        return self.decoder(quant), codebook_loss

    def training_step(self, batch, batch_idx, optimizer_idx):
        x, _ = batch
        xrec, qloss = self(x)
        if optimizer_idx == 0:
            aeloss, log_dict_ae = self.loss(qloss, x, xrec, optimizer_idx, self.global_step, split="train")
            self.log("train/aeloss", aeloss, prog_bar=True, on_step=True, on_epoch=True)
            self.log_dict(log_dict_ae, on_step=True, on_epoch=True)
            return aeloss

        if optimizer_idx == 1:
            discloss, log_dict_disc = self.loss(qloss, x, xrec, optimizer_idx, self.global_step, split="train")
            self.log("train/discloss", discloss, prog_bar=True, on_step=True, on_epoch=True)
            self.log_dict(log_dict_disc, on_step=True, on_epoch=True)
            return discloss

    def configure_optimizers(self):
        ae_params = [*self.encoder.parameters(), *self.decoder.parameters(), self.codebook]
        opt_ae = torch.optim.Adam(ae_params, lr=self.lr, betas=(0.5, 0.9))
        opt_disc = torch.optim.Adam(self.loss.discriminator.parameters(), lr=self.lr, betas=(0.5, 0.9))
        return [opt_ae, opt_disc], []


if __name__ == "__main__":
    pl.seed_everything(0)
    model = VQModel()
    trainer = pl.Trainer(max_epochs=1, limit_train_batches=2, logger=False, enable_checkpointing=False,
                         enable_progress_bar=False, gpus=0)
    before = [p.detach().clone() for p in (model.encoder.weight, model.loss.discriminator[0].weight)]
    trainer.fit(model, loader())
    after = (model.encoder.weight, model.loss.discriminator[0].weight)
    assert all(not torch.equal(b, a) for b, a in zip(before, after)), "both optimizers step"
    assert trainer.global_step == 4, "2.x counts each optimizer's step: 2 batches x 2 optimizers (1.5 counted 2)"
