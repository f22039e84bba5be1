"""GAN on MNIST, Lightning: two optimizers need *manual optimization* in Lightning 2.x.

Why manual: Lightning 1.x called `training_step` once per optimizer with an `optimizer_idx`. Lightning 2.x
removed that; with automatic optimization, `configure_optimizers` returning several optimizers raises
a RuntimeError asking you to set `self.automatic_optimization = False`. You then drive the step yourself
with `self.optimizers()`, `self.manual_backward(loss)` (instead of `loss.backward()`, so precision and
strategy plugins still apply) and `opt.step()` / `opt.zero_grad()`.

What `with self.toggled_optimizer(opt):` does: it sets `requires_grad=False` on every parameter that does
*not* belong to `opt` (remembering the old flags) and restores them on exit (`toggle_optimizer` and
`untoggle_optimizer`, as one context manager). In the
generator step, the discriminator's weights are then constants: no gradients are computed for them.
The plain loop computes those gradients and throws them away at the next `d_opt.zero_grad()`, so the
values both sides produce are the same (the tests prove it); toggling only saves the work.

    python -m pairs.gan.lightning --epochs 3
    python -m pairs.gan.lightning --precision bf16-mixed             # Trainer(precision=...)
    torchrun --nproc-per-node 2 -m pairs.gan.lightning --devices 2   # Trainer(devices=2, strategy="ddp")
    python -m pairs.gan.lightning --checkpoint    (killed?)    ... --checkpoint --resume

Read it beside plain.py (`t2l show gan`, `sdiff -w 200 plain.py lightning.py`): the sections have the
same names in the same order.
"""

from __future__ import annotations

from pathlib import Path

import pytorch_lightning as pl
import torch
from pytorch_lightning.callbacks import ModelCheckpoint
from torch.utils.data import DataLoader

from pairs import arguments, checkpoints_lightning
from pairs.data import mnist
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
    def train_dataloader(self) -> DataLoader:  # with DDP, Lightning adds the DistributedSampler itself
        return DataLoader(mnist.load(self.hparams.data).train, self.hparams.batch_size, shuffle=True)

    def val_dataloader(self) -> DataLoader:
        return DataLoader(mnist.load(self.hparams.data).val, self.hparams.batch_size)

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
        with self.toggled_optimizer(d_opt):  # only d_opt's parameters require grad inside
            d_opt.zero_grad()
            d_loss = adversarial_loss(self.discriminator(real), True) + adversarial_loss(
                self.discriminator(fake.detach()), False
            )
            self.manual_backward(d_loss)
            d_opt.step()

        # Generator step: make the (just updated) discriminator call the fakes real.
        with self.toggled_optimizer(g_opt):  # the discriminator is frozen: no gradients for it
            g_opt.zero_grad()
            g_loss = adversarial_loss(self.discriminator(fake), True)
            self.manual_backward(g_loss)
            g_opt.step()
        self.log_dict({"d_loss": d_loss, "g_loss": g_loss}, prog_bar=True)
        return {"d_loss": d_loss, "g_loss": g_loss}

    # --- Validation ----------------------------------------------------------------------------
    def validation_step(self, batch, batch_idx: int) -> dict:
        real, _ = batch
        fake = self.generator(self.noise[: len(real)])
        d_loss = adversarial_loss(self.discriminator(real), True) + adversarial_loss(self.discriminator(fake), False)
        g_loss = adversarial_loss(self.discriminator(fake), True)
        self.log_dict({"val_d_loss": d_loss, "val_g_loss": g_loss}, sync_dist=True)
        return {"d_loss": d_loss, "g_loss": g_loss, "count": len(real)}

    def on_validation_epoch_end(self) -> None:
        if not self.trainer.sanity_checking and self.trainer.is_global_zero:  # one writer; same noise
            samples = Path(self.trainer.default_root_dir) / "samples"
            save_grid(self.generator(self.noise[:64]), samples / f"epoch_{self.current_epoch}.png")


# --- Fit loop ----------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> GAN:
    args = arguments.parse(argv, __doc__, epochs=15)
    pl.seed_everything(args.seed, verbose=False)  # right before building, as on the plain side
    model = GAN(batch_size=args.batch_size, data=args.data)
    checkpointing = [
        ModelCheckpoint(dirpath=args.checkpoint_dir, save_top_k=-1, save_last=True),  # after every validation
        checkpoints_lightning.RandomState(),  # ours: RNG states in the checkpoint, and a seal
    ]
    trainer = pl.Trainer(
        max_epochs=args.epochs,
        max_steps=args.max_steps,
        accelerator=args.accelerator,
        devices=args.devices,
        # With DDP: each backward leaves the toggled-off network's parameters unused, which DDP must be told.
        strategy="ddp_find_unused_parameters_true" if args.devices > 1 else "auto",  # processes: torchrun
        precision=args.precision,
        deterministic=args.accelerator == "gpu",
        default_root_dir=args.root_dir,  # TensorBoard logs and the sample grids go under here
        callbacks=checkpointing if args.checkpoint or args.resume else [],
    )
    # ckpt_path: ours picks last.ckpt, or an older one if it is damaged; a plain "last" works too.
    resume_from = checkpoints_lightning.newest_readable(args.checkpoint_dir) if args.resume else None
    trainer.fit(model, ckpt_path=resume_from, weights_only=True)
    return model


if __name__ == "__main__":
    main()
