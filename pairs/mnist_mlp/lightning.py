"""MNIST MLP, Lightning: a LightningModule with hooks, and a Trainer that runs the loop.

Read it beside plain.py (`t2l show mnist_mlp`): the sections have the same names in the same order.
"""

from __future__ import annotations

import pytorch_lightning as pl
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader

from pairs import mnist
from pairs.config import RunConfig
from pairs.lightning_setup import checkpointing, resume_path
from pairs.mnist_mlp.model import LEARNING_RATE, MLP
from pairs.record import Recorder
from pairs.recorder_callback import RecorderCallback


class MNISTClassifier(pl.LightningModule):
    # --- Model ---------------------------------------------------------------------------------
    def __init__(self, batch_size: int = 64, data: str = "embedded", lr: float = LEARNING_RATE):
        super().__init__()
        self.save_hyperparameters()  # stored in checkpoints: load_from_checkpoint needs no arguments
        self.model = MLP()

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.model(images)

    # --- Data ----------------------------------------------------------------------------------
    def train_dataloader(self) -> DataLoader:
        return mnist.dataloader("train", self.hparams.batch_size, self.hparams.data)

    def val_dataloader(self) -> DataLoader:
        return mnist.dataloader("val", self.hparams.batch_size, self.hparams.data)

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
        images, labels = batch  # Lightning has already called eval() and entered no_grad
        log_probs = self(images)
        loss = F.nll_loss(log_probs, labels)
        correct = (log_probs.argmax(dim=1) == labels).sum()
        self.log_dict({"val_loss": loss, "val_acc": correct / len(labels)}, prog_bar=True)
        return {"loss": loss, "correct": correct, "count": len(labels)}


# --- Fit loop ----------------------------------------------------------------------------------
def fit(config: RunConfig, recorder: Recorder) -> MLP:
    pl.seed_everything(config.seed, verbose=False)  # right before building, as on the plain side
    model = MNISTClassifier(batch_size=config.batch_size, data=config.data)
    trainer = pl.Trainer(
        max_epochs=config.epochs,
        max_steps=config.max_steps,
        accelerator=config.accelerator,
        devices=config.devices,
        strategy="ddp" if config.devices > 1 else "auto",  # processes launched by torchrun
        precision=config.precision,
        deterministic=config.accelerator == "gpu",
        default_root_dir=config.root_dir,  # TensorBoard logs and checkpoints are written under here
        callbacks=[RecorderCallback(recorder), *checkpointing(config)],
        enable_progress_bar=False,  # `t2l check` draws one progress bar for both sides
        enable_model_summary=False,
    )
    trainer.fit(model, ckpt_path=resume_path(config), weights_only=True)
    return model.model
