"""MNIST MLP, Lightning: a LightningModule with hooks, and a Trainer that runs the loop.

    python -m pairs.mnist_mlp.lightning --epochs 3
    python -m pairs.mnist_mlp.lightning --precision bf16-mixed             # Trainer(precision=...)
    torchrun --nproc-per-node 2 -m pairs.mnist_mlp.lightning --devices 2   # Trainer(devices=2, strategy="ddp")
    python -m pairs.mnist_mlp.lightning --checkpoint    (killed?)    ... --checkpoint --resume

Read it beside plain.py (`t2l show mnist_mlp`, `sdiff -w 200 plain.py lightning.py`): the sections have the
same names in the same order.
"""

from __future__ import annotations

import pytorch_lightning as pl
import torch
import torch.nn.functional as F
from pytorch_lightning.callbacks import ModelCheckpoint
from torch.utils.data import DataLoader

from pairs import arguments, checkpoints_lightning
from pairs.data import mnist
from pairs.mnist_mlp.model import LEARNING_RATE, MLP


class MNISTClassifier(pl.LightningModule):
    # --- Model ---------------------------------------------------------------------------------
    def __init__(self, batch_size: int = 64, data: str = "embedded", lr: float = LEARNING_RATE):
        super().__init__()
        self.save_hyperparameters()  # stored in checkpoints: load_from_checkpoint needs no arguments
        self.model = MLP()

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.model(images)

    # --- Data ----------------------------------------------------------------------------------
    def train_dataloader(self) -> DataLoader:  # with DDP, Lightning adds the DistributedSampler itself
        return DataLoader(mnist.load(self.hparams.data).train, self.hparams.batch_size, shuffle=True)

    def val_dataloader(self) -> DataLoader:
        return DataLoader(mnist.load(self.hparams.data).val, self.hparams.batch_size)

    # --- Optimizer -----------------------------------------------------------------------------
    def configure_optimizers(self) -> torch.optim.Optimizer:
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)

    # --- Training step -------------------------------------------------------------------------
    def training_step(self, batch: tuple[torch.Tensor, torch.Tensor], batch_idx: int) -> torch.Tensor:
        images, labels = batch
        loss = F.nll_loss(self(images), labels)
        self.log("train_loss", loss)
        return loss  # Lightning calls zero_grad, backward and step around this

    # --- Validation ----------------------------------------------------------------------------
    def validation_step(self, batch: tuple[torch.Tensor, torch.Tensor], batch_idx: int) -> dict:
        images, labels = batch  # Lightning has already called eval() and entered inference_mode
        log_probs = self(images)
        loss = F.nll_loss(log_probs, labels)
        correct = (log_probs.argmax(dim=1) == labels).sum()
        self.log_dict({"val_loss": loss, "val_acc": correct / len(labels)}, prog_bar=True, sync_dist=True)
        return {"loss": loss, "correct": correct, "count": len(labels)}


# --- Fit loop ----------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> MNISTClassifier:
    args = arguments.parse(argv, __doc__, epochs=3)
    pl.seed_everything(args.seed, verbose=False)  # right before building, as on the plain side
    model = MNISTClassifier(batch_size=args.batch_size, data=args.data)
    checkpointing = [
        ModelCheckpoint(dirpath=args.checkpoint_dir, save_top_k=-1, save_last=True),  # after every validation
        checkpoints_lightning.RandomState(),  # ours: RNG states in the checkpoint, and a seal
    ]
    trainer = pl.Trainer(
        max_epochs=args.epochs,
        max_steps=args.max_steps,
        accelerator=args.accelerator,
        devices=args.devices,
        strategy="ddp" if args.devices > 1 else "auto",  # the processes themselves are started by torchrun
        precision=args.precision,
        deterministic=args.accelerator == "gpu",
        default_root_dir=args.root_dir,  # TensorBoard logs go under here
        callbacks=checkpointing if args.checkpoint or args.resume else [],
    )
    # ckpt_path: ours picks last.ckpt, or an older one if it is damaged; a plain "last" works too.
    resume_from = checkpoints_lightning.newest_readable(args.checkpoint_dir) if args.resume else None
    trainer.fit(model, ckpt_path=resume_from, weights_only=True)
    return model


if __name__ == "__main__":
    main()
