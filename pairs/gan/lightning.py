"""GAN on MNIST, Lightning: two optimizers need *manual optimization* in Lightning 2.x.

Why manual: Lightning 1.x called `training_step` once per optimizer with an `optimizer_idx`. Lightning 2.x
removed that; with automatic optimization, `configure_optimizers` returning several optimizers raises
a RuntimeError asking you to set `self.automatic_optimization = False`. You then drive the step yourself
with `self.optimizers()`, `self.manual_backward(loss)` (instead of `loss.backward()`, so precision and
strategy plugins still apply) and `opt.step()` / `opt.zero_grad()`.

What `toggle_optimizer(opt)` does: it sets `requires_grad=False` on every parameter that does *not*
belong to `opt` (remembering the old flags) until `untoggle_optimizer(opt)` restores them. In the
generator step, the discriminator's weights are then constants: no gradients are computed for them.
The plain loop computes those gradients and throws them away at the next `d_opt.zero_grad()`, so the
values both sides produce are the same (the tests prove it); toggling only saves the work.

Read it beside plain.py (`t2l show gan`): the sections have the same names in the same order.
"""

from __future__ import annotations

from pathlib import Path

import pytorch_lightning as pl
import torch
from torch.utils.data import DataLoader

from pairs import mnist
from pairs.config import RunConfig
from pairs.gan.model import (
    BETAS,
    LATENT,
    LEARNING_RATE,
    Discriminator,
    Generator,
    adversarial_loss,
    fixed_noise,
    save_grid,
)
from pairs.lightning_setup import checkpointing, resume_path
from pairs.record import Recorder
from pairs.recorder_callback import RecorderCallback


class GAN(pl.LightningModule):
    # --- Model ---------------------------------------------------------------------------------
    def __init__(self, batch_size: int = 64, data: str = "embedded", lr: float = LEARNING_RATE):
        super().__init__()
        self.save_hyperparameters()
        self.automatic_optimization = False  # two optimizers per batch: we step them ourselves
        self.generator = Generator()
        self.discriminator = Discriminator()
        self.register_buffer("noise", fixed_noise(max(batch_size, 64)), persistent=False)

    # --- Data ----------------------------------------------------------------------------------
    def train_dataloader(self) -> DataLoader:
        return mnist.dataloader("train", self.hparams.batch_size, self.hparams.data)

    def val_dataloader(self) -> DataLoader:
        return mnist.dataloader("val", self.hparams.batch_size, self.hparams.data)

    # --- Optimizer -----------------------------------------------------------------------------
    def configure_optimizers(self):
        g_opt = torch.optim.Adam(self.generator.parameters(), lr=self.hparams.lr, betas=BETAS)
        d_opt = torch.optim.Adam(self.discriminator.parameters(), lr=self.hparams.lr, betas=BETAS)
        return g_opt, d_opt

    # --- Training step -------------------------------------------------------------------------
    def training_step(self, batch, batch_idx: int) -> dict:
        g_opt, d_opt = self.optimizers()
        real, _ = batch
        noise = torch.randn(len(real), LATENT, device=real.device)  # global RNG, same point on both sides
        fake = self.generator(noise)

        # Discriminator step: real digits -> 1, generated -> 0 (detach: no generator gradients here).
        self.toggle_optimizer(d_opt)
        d_opt.zero_grad()
        d_loss = adversarial_loss(self.discriminator(real), True) + adversarial_loss(
            self.discriminator(fake.detach()), False
        )
        self.manual_backward(d_loss)
        d_opt.step()
        self.untoggle_optimizer(d_opt)

        # Generator step: make the (just updated) discriminator call the fakes real.
        self.toggle_optimizer(g_opt)
        g_opt.zero_grad()
        g_loss = adversarial_loss(self.discriminator(fake), True)
        self.manual_backward(g_loss)  # the discriminator is toggled off: no gradients for it
        g_opt.step()
        self.untoggle_optimizer(g_opt)
        self.log_dict({"d_loss": d_loss, "g_loss": g_loss}, prog_bar=True)
        return {"d_loss": d_loss, "g_loss": g_loss}

    # --- Validation ----------------------------------------------------------------------------
    def validation_step(self, batch, batch_idx: int) -> dict:
        real, _ = batch
        fake = self.generator(self.noise[: len(real)])
        d_loss = adversarial_loss(self.discriminator(real), True) + adversarial_loss(self.discriminator(fake), False)
        g_loss = adversarial_loss(self.discriminator(fake), True)
        self.log_dict({"val_d_loss": d_loss, "val_g_loss": g_loss})
        return {"d_loss": d_loss, "g_loss": g_loss, "count": len(real)}

    def on_validation_epoch_end(self) -> None:
        if not self.trainer.sanity_checking and self.trainer.is_global_zero:  # one writer; same noise
            samples = Path(self.trainer.default_root_dir) / "samples"
            save_grid(self.generator(self.noise[:64]), samples / f"epoch_{self.current_epoch}.png")


# --- Fit loop ----------------------------------------------------------------------------------
def fit(config: RunConfig, recorder: Recorder) -> GAN:
    pl.seed_everything(config.seed, verbose=False)  # right before building, as on the plain side
    model = GAN(batch_size=config.batch_size, data=config.data)
    trainer = pl.Trainer(
        max_epochs=config.epochs,
        max_steps=config.max_steps,
        accelerator=config.accelerator,
        devices=config.devices,
        # With DDP: each backward leaves the toggled-off network's parameters unused, which DDP must be told.
        strategy="ddp_find_unused_parameters_true" if config.devices > 1 else "auto",
        precision=config.precision,
        deterministic=config.accelerator == "gpu",
        default_root_dir=config.root_dir,
        callbacks=[RecorderCallback(recorder), *checkpointing(config)],
        enable_progress_bar=False,  # `t2l check` draws one progress bar for both sides
        enable_model_summary=False,
    )
    trainer.fit(model, ckpt_path=resume_path(config), weights_only=True)
    return model
